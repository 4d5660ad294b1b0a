import AtStatus
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
    public var help = false

    public init() {}

    private static let valueFlags: Set = [
        "--listen", "--ca-out", "--scenarios", "--generate", "--mix", "--root-mode", "--rate-limit-delay",
        "--dns.listen", "--dns.domain", "--dns.mode", "--dns.addresses",
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
          --root-mode MODE          normal, down, hung, garbage or stopping
          --rate-limit-delay DUR    the root's delay on repeated misses (default 3s)
          --dns.domain DOMAIN       address the root (root.DOMAIN) and atServers by names under DOMAIN
          --dns.listen HOST:PORT    answer those names over UDP there (A/AAAA; domain default sim.test)
          --dns.mode MODE           normal, slow:DURATION, servfail or nxdomain (needs --dns.listen)
          --dns.addresses IP,...    what the names resolve to, in order (default the listen address)
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
            guard let delay = parseDuration(value) else {
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
        default: throw UsageError("unknown flag \(name) (see --help)")
        }
    }

    private func validate() throws(UsageError) {
        if scenariosFile != nil && generate != nil { throw UsageError("--scenarios and --generate exclude each other") }
        if mix != nil && generate == nil { throw UsageError("--mix needs --generate") }
        if dnsMode != .normal && dnsListen == nil { throw UsageError("--dns.mode needs --dns.listen") }
        if dnsAddresses != nil && dnsListen == nil { throw UsageError("--dns.addresses needs --dns.listen") }
    }

    /// `127.0.0.1:0`, `[::1]:9064`, `localhost:64`.
    static func parseListen(_ text: String) throws(UsageError) -> (String, Int) {
        guard let colon = text.lastIndex(of: ":") else {
            throw UsageError("--listen: \"\(text)\" is not HOST:PORT, e.g. 127.0.0.1:0")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw UsageError("--listen: \"\(text)\" is not HOST:PORT with a port from 0 to 65535")
        }
        return (host, port)
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
        return fleet
    }
}

/// Bad flags; `atsign_sim` prints the message and exits with status 2.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
