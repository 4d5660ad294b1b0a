import AtStatus
import NetIO
import WebServer

/// `atsign_exporter serve`: the HTTP server, the background prober, signals, graceful shutdown.
struct ServeCommand {
    let settings: Settings
    let arguments: [String]
    let loader: SettingsLoader
    let demoNetwork: DemoNetworkStarter?

    func run() async -> ExitStatus {
        let logger = Logger(level: settings.logLevel, format: settings.logFormat)
        let signals = Signals()
        let setup: ProbingSetup
        do {
            setup = try await ProbingSetup.start(settings, demoNetwork: demoNetwork)
        } catch {
            logger.error("cannot start", ["err": error.message])
            return error.status
        }
        let settings = setup.settings
        let service = ExporterService(
            settings: settings, arguments: arguments, loader: loader, logger: logger, context: setup.context
        ) { settings in setup.demo?.apply(to: &settings) }
        let server: HTTPServer
        do {
            server = try startServer(service: service, settings: settings, logger: logger)
        } catch {
            logger.error("cannot start the HTTP server", ["err": "\(error)"])
            await setup.stop()
            return error is WebConfigError || error is ConfigError ? .usage : .failure
        }
        logger.info(
            "atsign_exporter started",
            [
                "version": BuildInfo.version,
                "listen": settings.listenAddresses.map(\.description).joined(separator: ","),
                "root": settings.rootAddress.description, "atsigns": service.store.snapshot.targets.count,
                "shard": "\(settings.shard)/\(settings.totalShards)", "demo": settings.demo,
            ])
        let prober = Task(priority: ExporterService.probePriority) { await service.prober.run() }
        for await event in signals.events {
            switch event {
            case .reload:
                logger.info("SIGHUP: reloading the configuration")
                await service.reload()
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
        await setup.stop()
        logger.info("stopped")
        return .success
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

    /// One thread for every HTTP connection of the process, made on first use.
    static let httpExecutor = ThreadExecutor(name: "http-server")

    /// Listen addresses, the connection limit, and the access-log hook that counts every answer
    /// in `atsign_exporter_http_requests_total` (and logs it at debug level).

    static func serverConfiguration(service: ExporterService, settings: Settings, logger: Logger)
        -> HTTPServerConfiguration
    {
        var configuration = HTTPServerConfiguration(listenAddresses: settings.listenAddresses.map(\.description))
        configuration.maxConnections = settings.maxConnections
        // Scrapes answered on their own thread: during a probe round the pool's threads are
        // busy with TLS handshakes (BENCHMARKS.md 3b).
        configuration.executor = httpExecutor
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
