import AtSimulator
import AtStatus
import Foundation
import NetIO
import Synchronization
import TestSupport
import WebServer

@testable import Exporter

/// A running exporter (service + HTTP server on 127.0.0.1, port 0) against an in-process simulator.
struct ExporterHarness {
    let simulator: Simulator
    let service: ExporterService
    let server: HTTPServer
    /// The server's router: `respond` asks it in-process, without a socket.
    let router: Router
    let logLines: LogLines

    var port: Int { server.ports[0] }

    static func start(
        scenarios: [String: Scenario], arguments: [String] = [], maxFreshProbes: Int = 100,
        timeout: Duration? = nil, rootLink: LinkConditions = .loopback
    ) async throws -> ExporterHarness {
        let timeout = timeout ?? defaultTimeout(scenarios.values)
        let fleet = try Dictionary(uniqueKeysWithValues: scenarios.map { (try AtSign($0.key), $0.value) })
        let simulator = try await Simulator.start(
            scenarios: fleet, rateLimitDelay: .milliseconds(50), rootLink: rootLink)
        let loader = SettingsLoader()
        let seconds = "\(timeout.components.seconds)s"
        let base = ["--root.address", simulator.rootAddress, "--probe.timeout", seconds, "--probe.interval", seconds]
        var settings = try loader.load(arguments: base + arguments)
        settings.maxFreshProbesPerSecond = maxFreshProbes
        if settings.atSigns.isEmpty && !arguments.contains("--atsigns.file") {
            settings.atSigns = fleet.keys.sorted()
        }
        let logLines = LogLines()
        let logger = Logger(level: .debug, sink: LogSink { logLines.append($0) })
        let context = try TLSContext.client(caPEM: simulator.caPEM)
        let service = ExporterService(
            settings: settings, arguments: base + arguments, loader: loader, logger: logger, context: context)
        var configuration = ServeCommand.serverConfiguration(service: service, settings: settings, logger: logger)
        configuration.listenAddresses = ["127.0.0.1:0"]
        let router = Routes(service: service).router(telemetryPath: "/metrics")
        let server = HTTPServer(configuration: configuration, router: router)
        try server.start()
        return ExporterHarness(
            simulator: simulator, service: service, server: server, router: router, logLines: logLines)
    }

    /// The probe timeout when a test names none: `Patience.deadline`, or for a fleet with peers
    /// that never answer (which a round must wait out) `Patience.hungPeerDeadline`.
    static func defaultTimeout(_ scenarios: some Sequence<Scenario>) -> Duration {
        let waitsOut = scenarios.contains {
            if case .slow = $0 { return true }
            return $0 == .hung
        }
        return waitsOut ? Patience.hungPeerDeadline : Patience.deadline
    }

    /// One probe round with every start at once: tests drive rounds by hand, and a spread round
    /// would space its starts over half the interval, which the harness ties to the timeout.
    func round() async { await service.prober.runRound(spread: false) }

    func stop() async {
        await server.shutdown()
        await simulator.shutdown()
    }

    /// A harness for the duration of `body`, always stopped afterwards (see `withStarted`).
    static func with<T>(
        scenarios: [String: Scenario], arguments: [String] = [], maxFreshProbes: Int = 100,
        timeout: Duration? = nil, rootLink: LinkConditions = .loopback,
        _ body: (ExporterHarness) async throws -> T
    ) async throws -> T {
        let harness = try await start(
            scenarios: scenarios, arguments: arguments, maxFreshProbes: maxFreshProbes, timeout: timeout,
            rootLink: rootLink)
        return try await withStarted(harness, stop: { await $0.stop() }, body)
    }

    /// One HTTP/1.1 request on a fresh connection (`WireClient`); returns status, headers
    /// (lowercased names) and body.
    func request(
        _ target: String, method: String = "GET", headers: [(String, String)] = [],
        timeout: Duration = Patience.deadline
    ) async throws -> (status: Int, headers: [String: String], body: String) {
        let client = try await WireClient(port: port, timeout: timeout)
        var head = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try await client.send(head + "\r\n", timeout: timeout)
        let response = try await client.response(head: method == "HEAD", timeout: timeout)
        // As asked, the server closes: wait for it, so its connection slot is free again when
        // this returns (the tests of --web.max-connections count on it).
        _ = await client.isClosedByServer(timeout: timeout)
        await client.close()
        let fields = response.headers.fields.map { ($0.name.lowercased(), $0.value) }
        return (response.status, Dictionary(fields, uniquingKeysWith: { first, _ in first }), response.bodyText)
    }

    /// The router's answer to one request, in-process (hummingbird's router tests do the same):
    /// for what a route answers. `request` goes through the server, for what the wire adds
    /// (HEAD, `Content-Length`, connection limits, the access log).
    func respond(
        _ target: String, method: String = "GET", headers: [(String, String)] = []
    ) async throws -> (status: Int, headers: [String: String], body: String) {
        let request = try HTTPRequest(method: method, target: target, headers: HTTPHeaders(headers))
        let response = await router.respond(to: request)
        let names = response.headers.fields.map { ($0.name.lowercased(), $0.value) }
        return (
            response.status, Dictionary(names, uniquingKeysWith: { first, _ in first }),
            String(decoding: response.body, as: UTF8.self)
        )
    }

    /// Scrapes `/metrics` until `condition` holds; fails loudly at the deadline. The access log
    /// counts a request after its answer is written, so a count can trail the answer briefly.
    func metrics(until condition: (MetricsText) -> Bool, what: String) async throws -> MetricsText {
        var text = MetricsText(body: "")
        try await eventually(every: .milliseconds(20), what) {
            text = MetricsText(body: try await request("/metrics").body)
            return condition(text)
        }
        return text
    }
}

/// Log lines captured from the exporter's logger.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
