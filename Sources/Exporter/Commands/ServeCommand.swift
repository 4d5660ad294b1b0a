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
            return error is WebConfigError ? 2 : 1
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
        await demo?.stop()
        logger.info("stopped")
        return 0
    }

    private func startServer(service: ExporterService, settings: Settings, logger: Logger) throws -> HTTPServer {
        var configuration = HTTPServerConfiguration(listenAddresses: settings.listenAddresses.map(\.description))
        configuration.maxConnections = settings.maxConnections
        configuration.accessLog = { entry in
            guard logger.isEnabled(.debug) else { return }
            logger.debug(
                "request",
                [
                    "remote": entry.remoteAddress, "method": entry.method, "target": entry.target,
                    "status": entry.status, "bytes": entry.bodyBytes, "duration": entry.durationSeconds,
                ])
        }
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
}
