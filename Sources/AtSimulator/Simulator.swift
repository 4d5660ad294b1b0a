import AtStatus
import NetIO

/// A simulated atRoot and atServer fleet on loopback, over real TLS signed by a fresh test CA.
///
/// ```swift
/// let simulator = try await Simulator.start(fleet: .demo)
/// // point a client at simulator.rootAddress, trusting simulator.caPEM
/// await simulator.shutdown()
/// ```
public final class Simulator: Sendable {
    /// The CA that signed every certificate served; clients trust it with `--tls.ca-file`.
    public let caPEM: String
    /// `host:port` of the root, e.g. `127.0.0.1:40312`.
    public let rootAddress: String
    public let rootPort: Int
    /// Root handshakes and lookups so far.
    public var rootCounters: RootCounters { root.counters }
    /// Flows the root's and the atServers' simulated NAT dropped as idle (`idleDrop`) so far.
    public var natDrops: Int { drops.value }
    private let root: SimulatedRoot
    private let servers: SimulatedAtServers
    private let drops: NATDrops

    /// The real root's delay before a second and third miss on one connection.
    public static let defaultRateLimitDelay = Duration.seconds(3)

    private let names: SimulatedNames?

    private init(
        root: SimulatedRoot, servers: SimulatedAtServers, drops: NATDrops, caPEM: String, names: SimulatedNames?
    ) {
        self.root = root
        self.servers = servers
        self.drops = drops
        self.caPEM = caPEM
        self.names = names
        rootPort = root.port
        let rootHost = names?.rootName ?? root.host
        rootAddress = rootHost.contains(":") ? "[\(rootHost)]:\(root.port)" : "\(rootHost):\(root.port)"
    }

    /// Starts the root on `host:rootPort` (0 = any free port) and one atServer per atSign.
    /// `rateLimitDelay` shortens the root's miss delay for tests. With `names`, the root and
    /// the atServers are addressed by DNS names under it (a `DNSResponder` serves them).
    public static func start(
        fleet: Fleet, host: String = "127.0.0.1", rootPort: Int = 0,
        rateLimitDelay: Duration = defaultRateLimitDelay, names: SimulatedNames? = nil
    ) async throws -> Simulator {
        let authority = try TestCertificateAuthority()
        var certificateNames = TestCertificateAuthority.loopbackNames
        if let names { certificateNames.dnsNames += names.certificateNames }
        let valid = try authority.issue(names: certificateNames)
        let identities = ServerIdentities(
            valid: try serverContext(valid),
            wrongHost: try serverContext(try authority.issueWrongHost()),
            expired: try serverContext(try authority.issueExpired(names: certificateNames)))
        let drops = NATDrops()
        let servers = try SimulatedAtServers(
            host: host, identities: identities, entries: fleet.entries, conditions: fleet.serverLink, natDrops: drops)
        do {
            let root = try SimulatedRoot(
                host: host, port: rootPort, mode: fleet.rootMode, context: identities.valid,
                rateLimitDelay: rateLimitDelay, conditions: fleet.rootLink, natDrops: drops,
                directory: { [servers] atSign in
                    servers.address(of: atSign).map { names?.location(of: atSign, numeric: $0) ?? $0 }
                })
            return Simulator(
                root: root, servers: servers, drops: drops, caPEM: authority.certificatePEM, names: names)
        } catch {
            await servers.shutdown()
            throw error
        }
    }

    /// Starts with a plain map of scenarios (sorted by atSign), a root mode and the network to
    /// the root and to the atServers.
    public static func start(
        scenarios: [AtSign: Scenario], rootMode: RootMode = .normal, rootPort: Int = 0,
        rateLimitDelay: Duration = defaultRateLimitDelay, rootLink: LinkConditions = .loopback,
        serverLink: LinkConditions = .loopback
    ) async throws -> Simulator {
        let entries = scenarios.sorted { $0.key < $1.key }.map { FleetEntry(atSign: $0.key, scenario: $0.value) }
        let fleet = Fleet(entries: entries, rootMode: rootMode, rootLink: rootLink, serverLink: serverLink)
        return try await start(fleet: fleet, rootPort: rootPort, rateLimitDelay: rateLimitDelay)
    }

    private static func serverContext(_ issued: IssuedCertificate) throws -> TLSContext {
        try TLSContext.server(certificatePEM: issued.certificatePEM, privateKeyPEM: issued.privateKeyPEM)
    }

    public var rootMode: RootMode { root.mode }

    /// Changes the root's behaviour for new connections and drops the open ones: `down` then
    /// `normal` is a root restart on the same address.
    public func setRootMode(_ mode: RootMode) async throws { try await root.setMode(mode) }

    /// The root stalls: from now until `duration` has passed it completes handshakes but sends
    /// nothing; prompts and replies go out once the stall ends (`.zero` ends a running one).
    public func stallRoot(for duration: Duration) { root.stall(for: duration) }

    /// The root leaves its next `count` lookups unanswered: it reads each key, then stays silent
    /// on that connection without closing it.
    public func stallRoot(lookups count: Int) { root.stall(lookups: count) }

    /// Changes (or adds) an atSign's scenario; the next session with its atServer sees it.
    public func setScenario(_ scenario: Scenario, for atSign: AtSign) throws {
        try servers.setScenario(scenario, for: atSign)
    }

    public func scenario(of atSign: AtSign) -> Scenario? { servers.scenario(of: atSign) }

    /// Where the root sends clients for `atSign` (`127.0.0.1:PORT`, or `NAME:PORT` with
    /// names), nil when it answers `null`.
    public func serverAddress(of atSign: AtSign) -> String? {
        servers.address(of: atSign).map { names?.location(of: atSign, numeric: $0) ?? $0 }
    }

    /// Closes every listener and connection.
    public func shutdown() async {
        await root.shutdown()
        await servers.shutdown()
    }
}
