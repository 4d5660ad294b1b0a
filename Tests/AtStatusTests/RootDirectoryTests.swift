import AtSimulator
import AtStatus
import NetIO
import TestSupport
import Testing

/// Root pooling and the root's rate limit, against the simulated root (which counts handshakes).
@Suite(.timeLimit(.minutes(1))) struct RootDirectoryTests {
    static func start(
        _ count: Int, rateLimitDelay: Duration = Simulator.defaultRateLimitDelay, rootPool: RootPoolSettings = .init()
    ) async throws -> (Simulator, StatusChecker, [AtSign]) {
        let atSigns = try (0..<count).map { try AtSign("@known\($0)") }
        let simulator = try await Simulator.start(
            scenarios: Dictionary(uniqueKeysWithValues: atSigns.map { ($0, Scenario.activated) }),
            rateLimitDelay: rateLimitDelay)
        let context = try TLSContext.client(caPEM: simulator.caPEM, trustSystemStore: false)
        let checker = StatusChecker(
            configuration: .init(root: try RootAddress(parsing: simulator.rootAddress), timeout: Patience.deadline),
            context: context, rootPool: rootPool)
        return (simulator, checker, atSigns)
    }

    @Test func hundredLookupsCostAFewHandshakes() async throws {
        let (simulator, checker, atSigns) = try await Self.start(10)
        try await withStarted(simulator, stop: { await $0.shutdown() }) { simulator in
            for index in 0..<100 {
                let lookup = await checker.root.lookup(
                    atSigns[index % atSigns.count], deadline: .after(Patience.deadline))
                #expect(lookup.status == .found)
            }
            #expect(checker.root.handshakes <= 2)
            #expect(simulator.rootCounters.handshakes <= 2)
            #expect(simulator.rootCounters.lookups == 100)
        }
    }

    @Test func concurrentLookupsShareABoundedPool() async throws {
        let (simulator, checker, atSigns) = try await Self.start(50, rootPool: RootPoolSettings(maxConnections: 16))
        try await withStarted(simulator, stop: { await $0.shutdown() }) { simulator in
            await withTaskGroup(of: RootStatus.self) { group in
                for _ in 0..<4 {
                    for atSign in atSigns {
                        group.addTask { await checker.root.lookup(atSign, deadline: .after(Patience.deadline)).status }
                    }
                }
                for await status in group { #expect(status == .found) }
            }
            #expect(checker.root.handshakes <= 16)
        }
    }

    /// The root delays the 2nd miss on a connection (here by 10 s): misses must each retire
    /// theirs, so the root never delays one (it counts the misses it delays).
    @Test func unknownAtSignsInARowAreNotRateLimited() async throws {
        let (simulator, checker, _) = try await Self.start(1, rateLimitDelay: .seconds(10))
        try await withStarted(simulator, stop: { await $0.shutdown() }) { simulator in
            for index in 0..<20 {
                let lookup = await checker.root.lookup(
                    try AtSign("@unknown\(index)"), deadline: .after(Patience.deadline))
                #expect(lookup.status == .notFound)
            }
            #expect(simulator.rootCounters.delayedMisses == 0, "a miss waited for the root's rate limit")
        }
    }

    @Test func aPooledSessionTheRootClosedIsReplacedUnseen() async throws {
        let (simulator, checker, atSigns) = try await Self.start(1)
        try await withStarted(simulator, stop: { await $0.shutdown() }) { simulator in
            #expect(await checker.root.lookup(atSigns[0], deadline: .after(Patience.deadline)).status == .found)
            try await simulator.setRootMode(.down)
            try await simulator.setRootMode(.normal)
            let lookup = await checker.root.lookup(atSigns[0], deadline: .after(Patience.deadline))
            #expect(lookup.status == .found, "\(String(describing: lookup.failure))")
            #expect(checker.root.handshakes == 2)
        }
    }

    @Test func pingReportsTheRootsHealth() async throws {
        let (simulator, checker, _) = try await Self.start(1)
        try await withStarted(simulator, stop: { await $0.shutdown() }) { simulator in
            #expect(await checker.pingRoot()?.status == .found)
            #expect(checker.root.rootCertificateNotAfter != nil)
            try await simulator.setRootMode(.down)
            let down = await checker.pingRoot(timeout: Patience.deadline)
            #expect(down?.status == .stopped && down?.failure?.reason == .connectionRefused)
        }
    }

    /// A miss retires its session; the next one resumes the root's ticket instead of a full
    /// handshake, and the resumed session still reports the root certificate's expiry.
    @Test func aNewRootSessionResumesTheLastOne() async throws {
        let (simulator, checker, atSigns) = try await Self.start(1)
        try await withStarted(simulator, stop: { await $0.shutdown() }) { (simulator) throws in
            #expect(
                await checker.root.lookup(try AtSign("@unknown"), deadline: .after(Patience.deadline)).status
                    == .notFound)
            let lookup = await checker.root.lookup(atSigns[0], deadline: .after(Patience.deadline))
            #expect(lookup.status == .found)
            #expect(lookup.certificateNotAfter != nil)
            #expect(checker.root.handshakes == 2)
            #expect(checker.root.resumedHandshakes == 1)
        }
    }
}
