import AtSimulator
import NetIO
import Synchronization
import TestSupport
import Testing

@testable import AtStatus

/// The root pool in the simulator's real world: a distant root, a NAT that drops idle flows, a
/// pool that must grow with demand and shrink after it (issue 9, findings 1 and 4).
@Suite(.timeLimit(.minutes(1))) struct RootPoolTests {
    struct World {
        let simulator: Simulator
        let directory: RootDirectory
        let atSigns: [AtSign]
        let clock: TestClock
    }

    static func start(
        _ count: Int, rootLink: LinkConditions = .loopback, settings: RootPoolSettings = .init()
    ) async throws -> World {
        let atSigns = try (0..<count).map { try AtSign("@far\($0)") }
        let simulator = try await Simulator.start(
            scenarios: Dictionary(uniqueKeysWithValues: atSigns.map { ($0, Scenario.activated) }), rootLink: rootLink)
        let context = try TLSContext.client(caPEM: simulator.caPEM, trustSystemStore: false)
        let clock = TestClock()
        let directory = RootDirectory(
            address: try ServerAddress(parsing: simulator.rootAddress), context: context, settings: settings,
            clock: { clock.now })
        return World(simulator: simulator, directory: directory, atSigns: atSigns, clock: clock)
    }

    /// Finding 1: 16 connections at 400 ms a lookup answer 40 lookups a second, so most of 160
    /// lookups started together missed a 2.5 s deadline and read as a root outage.
    @Test func aDistantRootAnswersEveryLookupOfABurst() async throws {
        let world = try await Self.start(160, rootLink: LinkConditions(replyLatency: .milliseconds(400)))
        defer { Task { await world.simulator.shutdown() } }
        let deadline = Deadline.after(.milliseconds(2500))
        let statuses = await withTaskGroup(of: RootLookup.self, returning: [RootLookup].self) { group in
            for atSign in world.atSigns { group.addTask { await world.directory.lookup(atSign, deadline: deadline) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let failures = statuses.filter { $0.status != .found }
        #expect(
            failures.isEmpty, "\(failures.count) of 160 failed, e.g. \(String(describing: failures.first?.failure))")
        #expect(world.directory.handshakes > 16)
    }

    /// Waiting for our own pool is `root_wait`, a timeout there is not the root's fault.
    @Test func aLookupQueuedPastItsDeadlineIsARootWaitTimeout() async throws {
        let world = try await Self.start(
            2, rootLink: LinkConditions(replyLatency: .milliseconds(600)), settings: RootPoolSettings(maxConnections: 1)
        )
        defer { Task { await world.simulator.shutdown() } }
        let first = Task { await world.directory.lookup(world.atSigns[0], deadline: .after(.seconds(5))) }
        try await eventually { world.simulator.rootCounters.lookups == 1 }
        let queued = await world.directory.lookup(world.atSigns[1], deadline: .after(.milliseconds(200)))
        #expect(queued.failure?.reason == .timeout)
        #expect(queued.failure?.phase == .rootWait)
        #expect((queued.phaseSeconds[.rootWait] ?? 0) >= 0.15)
        #expect(await first.value.status == .found)
        let later = await world.directory.lookup(world.atSigns[1], deadline: .after(.seconds(5)))
        #expect(later.status == .found && later.phaseSeconds[.rootWait] != nil)
    }

    /// Finding 4: a NAT forgot the pooled flow; the lookup on it times out, then succeeds on a
    /// fresh connection within the same deadline, with no failure to show for it.
    @Test func aNATDroppedPooledConnectionIsRetriedOnAFreshOne() async throws {
        let world = try await Self.start(1, rootLink: LinkConditions(idleDrop: .milliseconds(100)))
        defer { Task { await world.simulator.shutdown() } }
        let first = await world.directory.lookup(world.atSigns[0], deadline: .after(.seconds(2)))
        #expect(first.status == .found, "\(String(describing: first.failure)) \(first.phaseSeconds)")
        // The simulated NAT's idle timer is what is under test: the flow must sit idle past it.
        try await Task.sleep(for: .milliseconds(300))
        let lookup = await world.directory.lookup(world.atSigns[0], deadline: .after(.seconds(4)))
        #expect(lookup.status == .found, "\(String(describing: lookup.failure))")
        #expect(lookup.failure == nil)
        #expect(world.directory.handshakes == 2)
    }

    @Test func aPooledConnectionThatGoesSilentIsRetriedOnAFreshOne() async throws {
        let world = try await Self.start(1)
        defer { Task { await world.simulator.shutdown() } }
        #expect(await world.directory.lookup(world.atSigns[0], deadline: .after(.seconds(2))).status == .found)
        world.simulator.stallRoot(lookups: 1)
        let lookup = await world.directory.lookup(world.atSigns[0], deadline: .after(.seconds(2)))
        #expect(lookup.status == .found, "\(String(describing: lookup.failure))")
        #expect(world.directory.handshakes == 2)
    }

    /// A stall shorter than the deadline is only a slow answer; a longer one is the root's
    /// timeout, and the next lookup after it is answered again.
    @Test func aRootStallIsATimeoutOnlyWhenItOutlastsTheDeadline() async throws {
        let world = try await Self.start(1)
        defer { Task { await world.simulator.shutdown() } }
        #expect(await world.directory.lookup(world.atSigns[0], deadline: .after(.seconds(2))).status == .found)
        world.simulator.stallRoot(for: .milliseconds(400))
        let slow = await world.directory.lookup(world.atSigns[0], deadline: .after(.seconds(3)))
        #expect(slow.status == .found, "\(String(describing: slow.failure))")
        world.simulator.stallRoot(for: .seconds(2))
        let stalled = await world.directory.lookup(world.atSigns[0], deadline: .after(.milliseconds(500)))
        #expect(stalled.status == .unavailable && stalled.failure?.reason == .timeout)
        #expect(stalled.failure?.phase != .rootWait, "the root's own timeout")
        world.simulator.stallRoot(for: .zero)
        #expect(await world.directory.lookup(world.atSigns[0], deadline: .after(.seconds(2))).status == .found)
    }

    @Test func idleConnectionsAreRetiredWithExit() async throws {
        let world = try await Self.start(3, rootLink: LinkConditions(replyLatency: .milliseconds(100)))
        defer { Task { await world.simulator.shutdown() } }
        await withTaskGroup(of: Void.self) { group in
            for atSign in world.atSigns {
                group.addTask { _ = await world.directory.lookup(atSign, deadline: .after(.seconds(3))) }
            }
        }
        #expect(world.directory.idleConnections == 3)
        world.clock.advance(by: world.directory.settings.idleLimit + .seconds(1))
        #expect(await world.directory.ping(deadline: .after(.seconds(3))).status == .found)
        #expect(world.directory.idleConnections == 0)
        try await eventually { world.simulator.rootCounters.openConnections == 0 }
    }

    @Test func thePingLeavesNothingInThePool() async throws {
        let world = try await Self.start(1)
        defer { Task { await world.simulator.shutdown() } }
        for _ in 0..<3 { #expect(await world.directory.ping(deadline: .after(.seconds(3))).status == .found) }
        #expect(world.directory.idleConnections == 0)
        try await eventually { world.simulator.rootCounters.openConnections == 0 }
    }

    @Test func closeIdleSaysExitToEveryPooledConnection() async throws {
        let world = try await Self.start(1)
        defer { Task { await world.simulator.shutdown() } }
        #expect(await world.directory.lookup(world.atSigns[0], deadline: .after(.seconds(2))).status == .found)
        #expect(world.simulator.rootCounters.openConnections == 1)
        await world.directory.closeIdle()
        try await eventually { world.simulator.rootCounters.openConnections == 0 }
    }

    @Test func rootSocketsHaveKeepAlive() async throws {
        let world = try await Self.start(1)
        defer { Task { await world.simulator.shutdown() } }
        #expect(await world.directory.lookup(world.atSigns[0], deadline: .after(.seconds(2))).status == .found)
        let (pooled, _) = world.directory.idle.take(now: world.clock.now, idleLimit: .seconds(60))
        let keepAlive = try #require(pooled?.stream.keepAlive)
        #expect(keepAlive == world.directory.settings.keepAlive)
        await pooled?.exit()
    }

    /// Finding 9: each resumed session hands out a new ticket, so without a bound a chain of
    /// resumptions would never check the root certificate again (not even after it expired).
    @Test func aChainOfResumedSessionsEndsInAFullHandshake() async throws {
        let world = try await Self.start(1, settings: RootPoolSettings(fullHandshakeEvery: .seconds(300)))
        defer { Task { await world.simulator.shutdown() } }
        func freshSession() async {
            await world.directory.closeIdle()
            #expect(await world.directory.lookup(world.atSigns[0], deadline: .after(.seconds(2))).status == .found)
        }
        await freshSession()  // full
        world.clock.advance(by: .seconds(200))
        await freshSession()  // resumed, 200 s into the chain
        #expect(world.directory.resumedHandshakes == 1)
        world.clock.advance(by: .seconds(200))
        await freshSession()  // 400 s into the chain, though its last ticket is 200 s old: full
        #expect(world.directory.resumedHandshakes == 1)
        world.clock.advance(by: .seconds(10))
        await freshSession()  // a new chain
        #expect(world.directory.resumedHandshakes == 2)
        #expect(world.directory.handshakes == 4)
    }

    /// PROTOCOL.md §4: only the stop text means `stopped`; any other greeting is `error`.
    @Test func aRootGreetingWithSomethingElseIsAnError() async throws {
        let world = try await Self.start(1)
        defer { Task { await world.simulator.shutdown() } }
        try await world.simulator.setRootMode(.badGreeting)
        let odd = await world.directory.lookup(world.atSigns[0], deadline: .after(.seconds(2)))
        #expect(odd.status == .error && odd.failure?.reason == .protocol)
        try await world.simulator.setRootMode(.stopping)
        #expect(await world.directory.lookup(world.atSigns[0], deadline: .after(.seconds(2))).status == .stopped)
    }
}

/// The clock of the root pool's idle limit and ticket ages, moved forward by hand.
final class TestClock: Sendable {
    private let offset = Mutex<Duration>(.zero)
    var now: Deadline { Deadline.now.adding(offset.withLock { $0 }) }
    func advance(by duration: Duration) { offset.withLock { $0 += duration } }
}
