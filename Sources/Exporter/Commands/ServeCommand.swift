import AtStatus
import NetIO
import WebServer

/// `atsign_exporter serve`: the HTTP server, the background prober, signals, graceful shutdown.
struct ServeCommand {
    let settings: Settings
    let arguments: [String]
    let loader: SettingsLoader

    func run() async -> Int32 {
        var settings = settings
        let logger = Logger(level: settings.logLevel, format: settings.logFormat)
        let signals = Signals()
        let demo: DemoEnvironment?
        do {
            demo = settings.demo ? try await DemoEnvironment.start(adjusting: &settings) : nil
        } catch {
            logger.error("cannot start the demo simulator", ["err": "\(error)"])
            return 1
        }
        let context: TLSContext
        do {
            context = try TLSContext.client(caFile: settings.caFile, caPEM: demo?.caPEM)
        } catch {
            logger.error("cannot load --tls.ca-file", ["err": "\(error)"])
            return 2
        }
        let service = ExporterService(
            settings: settings, arguments: arguments, loader: loader, logger: logger, context: context
        ) { settings in demo?.apply(to: &settings) }
        let server: HTTPServer
        do {
            server = try startServer(service: service, settings: settings, logger: logger)
        } catch {
            logger.error("cannot start the HTTP server", ["err": "\(error)"])
            return error is WebConfigError || error is ConfigError ? 2 : 1
        }
        logger.info(
            "atsign_exporter started",
            [
                "version": BuildInfo.version,
                "listen": settings.listenAddresses.map(\.description).joined(separator: ","),
                "root": settings.rootAddress.description, "atsigns": service.store.snapshot.targets.count,
                "shard": "\(settings.shard)/\(settings.totalShards)", "demo": settings.demo,
            ])
        let prober = Task { await service.prober.run() }
        for await event in signals.events {
            switch event {
            case .reload:
                logger.info("SIGHUP: reloading the configuration")
                service.reload()
                continue
            case .terminate(let number):
                logger.info("shutting down", ["signal": number])
            }
            break
        }
        await server.shutdown()
        // In-flight probes end promptly once cancelled (every wait honours cancellation); waiting
        // for them means no thread is inside OpenSSL when the process exits.
        prober.cancel()
        await prober.value
        await service.closeRootConnections()
        await demo?.stop()
        logger.info("stopped")
        return 0
    }

    private func startServer(service: ExporterService, settings: Settings, logger: Logger) throws -> HTTPServer {
        var configuration = Self.serverConfiguration(service: service, settings: settings, logger: logger)
        if settings.systemdSocket { configuration.listenDescriptors = try SystemdSockets.take() }
        if let path = settings.webConfigFile {
            // Followed, as exporter-toolkit does: rotated certificates and changed users apply
            // to the next connection.
            let web = try WebConfigReloader(
                path: path,
                onReload: { _ in logger.info("web config files changed: reloaded", ["file": path]) },
                onError: { error in
                    logger.error("web config files changed but do not load; keeping the previous", ["err": "\(error)"])
                })
            for warning in web.config.warnings {
                logger.warn("web config field not applied", ["file": path, "note": warning])
            }
            configuration.webConfig = web
        }
        let router = Routes(service: service).router(telemetryPath: settings.telemetryPath)
            .mounted(at: settings.effectiveRoutePrefix)
        let server = HTTPServer(configuration: configuration, router: router)
        try server.start()
        return server
    }

    /// Listen addresses, the connection limit, and the access-log hook that counts every answer
    /// in `atsign_exporter_http_requests_total` (and logs it at debug level).
    static func serverConfiguration(service: ExporterService, settings: Settings, logger: Logger)
        -> HTTPServerConfiguration
    {
        var configuration = HTTPServerConfiguration(listenAddresses: settings.listenAddresses.map(\.description))
        configuration.maxConnections = settings.maxConnections
        configuration.accessLog = { entry in
            service.stats.count(target: unprefixed(entry.target, settings.effectiveRoutePrefix), code: entry.status)
            guard logger.isEnabled(.debug) else { return }
            logger.debug(
                "request",
                [
                    "remote": entry.remoteAddress, "method": entry.method, "target": entry.target,
                    "status": entry.status, "bytes": entry.bodyBytes, "duration": entry.durationSeconds,
                ])
        }
        return configuration
    }

    /// A request target as if served at the root, so requests are counted by handler whatever
    /// --web.route-prefix is ("/atsign/metrics" → "/metrics", "/atsign" → "/"); others as they are.
    static func unprefixed(_ target: String, _ prefix: String) -> String {
        guard !prefix.isEmpty, target.hasPrefix(prefix) else { return target }
        let rest = target.dropFirst(prefix.count)
        guard rest.isEmpty || rest.hasPrefix("/") || rest.hasPrefix("?") else { return target }
        return rest.hasPrefix("/") ? String(rest) : "/" + rest
    }
}
