import AtStatus
import Basics
import NetIO

/// The flags of `atsign_sim`, parsed by hand (no packages): `--name value` or `--name=value`.
public struct SimulatorOptions: Sendable, Equatable {
    public var listenHost = "127.0.0.1"
    public var listenPort = 0
    public var caOut: String?
    public var scenariosFile: String?
    public var generate: Int?
    public var mix: String?
    public var rootMode: RootMode?
    public var rateLimitDelay = Simulator.defaultRateLimitDelay
    /// Where the DNS responder listens; nil runs none.
    public var dnsListen: ServerAddress?
    public var names: SimulatedNames?
    public var dnsMode = DNSMode.normal
    /// What the names resolve to; nil means the listen address.
    public var dnsAddresses: [String]?
    public var rootLink = LinkConditions.loopback
    public var serverLink = LinkConditions.loopback
    /// `--root-stall START:LENGTH`: the root goes silent LENGTH long, START after it starts.
    public var rootStall: (start: Duration, length: Duration)?
    public var rootStallLookups = 0
    public var help = false

    public init() {}

    public static func == (lhs: SimulatorOptions, rhs: SimulatorOptions) -> Bool {
        lhs.listenHost == rhs.listenHost && lhs.listenPort == rhs.listenPort && lhs.caOut == rhs.caOut
            && lhs.scenariosFile == rhs.scenariosFile && lhs.generate == rhs.generate && lhs.mix == rhs.mix
            && lhs.rootMode == rhs.rootMode && lhs.rateLimitDelay == rhs.rateLimitDelay
            && lhs.rootLink == rhs.rootLink && lhs.serverLink == rhs.serverLink
            && lhs.rootStall?.start == rhs.rootStall?.start && lhs.rootStall?.length == rhs.rootStall?.length
            && lhs.rootStallLookups == rhs.rootStallLookups && lhs.help == rhs.help
            && lhs.dnsListen == rhs.dnsListen && lhs.names == rhs.names && lhs.dnsMode == rhs.dnsMode
            && lhs.dnsAddresses == rhs.dnsAddresses
    }

    private static let valueFlags: Set = [
        "--listen", "--ca-out", "--scenarios", "--generate", "--mix", "--root-mode", "--rate-limit-delay",
        "--dns.listen", "--dns.domain", "--dns.mode", "--dns.addresses",
        "--root-latency", "--root-handshake-latency", "--server-latency", "--server-handshake-latency",
        "--nat-idle-drop", "--root-stall", "--root-stall-lookups",
    ]

    public static let usage = """
        usage: atsign_sim [flags]
        A simulated atRoot and atServer fleet on loopback, over TLS signed by a fresh test CA.
        Prints root=HOST:PORT as its first line, then runs until SIGINT or SIGTERM.

          --listen HOST:PORT        root address (default 127.0.0.1:0, 0 = any free port)
          --ca-out PATH             write the test CA certificate (PEM) there, for --tls.ca-file
          --scenarios FILE          JSON: {"rootMode":"normal","atSigns":{"@alice":"activated"}}
          --generate N              make N atSigns @sim00001... instead (a load fleet)
          --mix NAME=W,...          their scenarios by weight (default activated=100)
          --root-mode MODE          normal, down, hung, garbage, stopping or bad-greeting
          --rate-limit-delay DUR    the root's delay on repeated misses (default 3s)
          --dns.domain DOMAIN       address the root (root.DOMAIN) and atServers by names under DOMAIN
          --dns.listen HOST:PORT    answer those names over UDP there (A/AAAA; domain default sim.test)
          --dns.mode MODE           normal, slow:DURATION, servfail or nxdomain (needs --dns.listen)
          --dns.addresses IP,...    what the names resolve to, in order (default the listen address)
          --root-latency DUR        the root waits this long before every answer (a distant root: 400ms)
          --root-handshake-latency DUR  ...and before each TLS handshake (TCP + TLS round trips: 800ms)
          --server-latency DUR      every atServer waits this long before every reply
          --server-handshake-latency DUR  ...and before each TLS handshake
          --nat-idle-drop DUR       a NAT forgets a flow idle this long: root and atServers stop
                                    answering it without closing it, so the client times out
          --root-stall START:LEN    START after starting, the root goes silent for LEN (e.g. 30s:10s)
          --root-stall-lookups N    the root never answers its first N lookups (silent, left open)
          --help                    this text

        Scenarios: \(Scenario.names.joined(separator: ", ")) (slow takes a delay: slow:500ms).
        With no --scenarios or --generate: one atSign per scenario, named after it (@activated...).
        """

    /// Parses the arguments after the program name.
    public static func parse(_ arguments: [String]) throws(UsageError) -> SimulatorOptions {
        var options = SimulatorOptions()
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("--") else { throw UsageError("unexpected argument \"\(argument)\"") }
            var name = argument
            var value: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            if name == "--help" {
                options.help = true
                continue
            }
            guard Self.valueFlags.contains(name) else { throw UsageError("unknown flag \(name) (see --help)") }
            if value == nil {
                guard let next = rest.popFirst() else { throw UsageError("\(name) needs a value") }
                value = next
            }
            try options.apply(name, value!)
        }
        try options.validate()
        if options.dnsListen != nil && options.names == nil { options.names = try SimulatedNames(domain: "sim.test") }
        return options
    }

    private mutating func apply(_ name: String, _ value: String) throws(UsageError) {
        switch name {
        case "--listen": (listenHost, listenPort) = try Self.parseListen(value)
        case "--ca-out": caOut = value
        case "--scenarios": scenariosFile = value
        case "--generate":
            guard let count = Int(value), (1...1_000_000).contains(count) else {
                throw UsageError("--generate: \"\(value)\" is not a count from 1 to 1000000")
            }
            generate = count
        case "--mix": mix = value
        case "--root-mode":
            do { rootMode = try RootMode(name: value) } catch { throw UsageError("--root-mode: \(error)") }
        case "--rate-limit-delay":
            guard let delay = try? PrometheusDuration(parsing: value).duration else {
                throw UsageError("--rate-limit-delay: \"\(value)\" is not a duration such as 500ms or 3s")
            }
            rateLimitDelay = delay
        case "--dns.listen":
            let (host, port) = try Self.parseListen(value)
            dnsListen = ServerAddress(host: host, port: port)
        case "--dns.domain": names = try SimulatedNames(domain: value)
        case "--dns.mode": dnsMode = try DNSMode(name: value)
        case "--dns.addresses":
            let addresses = value.split(separator: ",").map(String.init)
            let bad = addresses.first { SocketAddress(numericHost: $0, port: 0) == nil }
            guard let bad else {
                if addresses.isEmpty { throw UsageError("--dns.addresses needs at least one address") }
                dnsAddresses = addresses
                return
            }
            throw UsageError("--dns.addresses: \"\(bad)\" is not a numeric IP address")
        case "--root-latency": rootLink.replyLatency = try Self.duration(name, value)
        case "--root-handshake-latency": rootLink.handshakeLatency = try Self.duration(name, value)
        case "--server-latency": serverLink.replyLatency = try Self.duration(name, value)
        case "--server-handshake-latency": serverLink.handshakeLatency = try Self.duration(name, value)
        case "--nat-idle-drop":
            let idle = try Self.duration(name, value)
            guard idle > .zero else { throw UsageError("--nat-idle-drop: \"\(value)\" must be longer than 0") }
            (rootLink.idleDrop, serverLink.idleDrop) = (idle, idle)
        case "--root-stall": rootStall = try Self.parseStall(value)
        case "--root-stall-lookups":
            guard let count = Int(value), (0...1_000_000).contains(count) else {
                throw UsageError("--root-stall-lookups: \"\(value)\" is not a count from 0 to 1000000")
            }
            rootStallLookups = count
        default: throw UsageError("unknown flag \(name) (see --help)")
        }
    }

    private func validate() throws(UsageError) {
        if scenariosFile != nil && generate != nil { throw UsageError("--scenarios and --generate exclude each other") }
        if mix != nil && generate == nil { throw UsageError("--mix needs --generate") }
        if dnsMode != .normal && dnsListen == nil { throw UsageError("--dns.mode needs --dns.listen") }
        if dnsAddresses != nil && dnsListen == nil { throw UsageError("--dns.addresses needs --dns.listen") }
    }

    private static func duration(_ name: String, _ value: String) throws(UsageError) -> Duration {
        guard let duration = try? PrometheusDuration(parsing: value).duration else {
            throw UsageError("\(name): \"\(value)\" is not a duration such as 400ms or 2s")
        }
        return duration
    }

    /// `30s:10s`: when the stall starts (after the simulator starts) and how long it lasts.
    static func parseStall(_ text: String) throws(UsageError) -> (start: Duration, length: Duration) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = try? PrometheusDuration(parsing: String(parts[0])).duration,
            let length = try? PrometheusDuration(parsing: String(parts[1])).duration,
            length > .zero
        else {
            throw UsageError("--root-stall: \"\(text)\" is not START:LENGTH, e.g. 30s:10s (LENGTH above 0)")
        }
        return (start, length)
    }

    /// `127.0.0.1:0`, `[::1]:9064`, `localhost:64`.
    static func parseListen(_ text: String) throws(UsageError) -> (String, Int) {
        do throws(HostPort.Problem) {
            let (host, port) = try HostPort.split(text, ports: 0...65535)
            guard !host.isEmpty else { throw HostPort.Problem(why: "the host is missing") }
            return (host, port)
        } catch {
            throw UsageError("--listen: \"\(text.debugEscaped)\" is not HOST:PORT (e.g. 127.0.0.1:0): \(error.why)")
        }
    }

    /// The fleet the options describe: a scenario file, a generated fleet, or the demo set.
    public func fleet() throws -> Fleet {
        var fleet: Fleet
        if let scenariosFile {
            fleet = try ScenarioFile.load(path: scenariosFile)
        } else if let generate {
            fleet = Fleet.generate(count: generate, mix: try Fleet.parseMix(mix ?? "activated=100"))
        } else {
            fleet = .demo
        }
        if let rootMode { fleet.rootMode = rootMode }
        fleet.rootLink = rootLink
        fleet.serverLink = serverLink
        return fleet
    }
}

/// Bad flags; `atsign_sim` prints the message and exits with status 2.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
