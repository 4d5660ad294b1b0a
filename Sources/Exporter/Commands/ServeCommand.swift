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
            return error is WebConfigError ? .usage : .failure
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
        if let path = settings.webConfigFile {
            let web = try WebConfig.load(path: path)
            for warning in web.warnings {
                logger.warn("web config field not applied", ["file": path, "note": warning])
            }
            try web.apply(to: &configuration)
        }
        let router = Routes(service: service).router(telemetryPath: settings.telemetryPath)
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
            service.stats.count(target: entry.target, code: entry.status)
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
}
