import AtStatus
import CSystem
import NetIO
import Synchronization
import TestSupport
import Testing

@testable import Exporter

@Suite struct ProberTests {
    static func atSigns(_ count: Int) -> [AtSign] { (0..<count).map { try! AtSign("@user\($0)") } }

    func makeProber(
        _ checker: FakeChecker, targets: [AtSign], concurrency: Int = 8, spread: Double = 0,
        clock: ManualClock = ManualClock(), changes: Changes = Changes(), overruns: Overruns = Overruns(),
        reports: Recorded<RoundReport> = Recorded()
    ) -> (Prober, SnapshotStore) {
        let store = SnapshotStore(rootAddress: "root.test:64")
        store.setTargets(targets)
        let schedule = Prober.Schedule(
            interval: .seconds(60), timeout: .seconds(10), concurrency: concurrency, spread: spread)
        let prober = Prober(
            checker: checker, store: store, schedule: schedule, clock: clock, onChange: { changes.add($0) },
            onOverrun: { overruns.add($0) }, onRoundFinished: { reports.add($0) })
        return (prober, store)
    }

    @Test func aRoundProbesEveryTargetOnceAndRecordsIt() async throws {
        let targets = Self.atSigns(5)
        let checker = FakeChecker([targets[1]: .answer(.notFound, .unavailable)])
        let (prober, store) = makeProber(checker, targets: targets)
        await prober.runRound()
        #expect(targets.allSatisfy { checker.calls($0) == 1 })
        let snapshot = store.snapshot
        #expect(snapshot.records[targets[0]]?.result?.atSignStatus == .activated)
        #expect(snapshot.records[targets[1]]?.result?.atSignStatus == .notFound)
        #expect(snapshot.roundsCompleted == 1)
        #expect(checker.pings == 1)
    }

    /// A round started at the exporter's probing priority runs every check and the root ping at
    /// it, through the task that races each probe against its cut-off, and so (Dispatch on
    /// Linux) on threads niced below the HTTP server's: scrapes during rounds come first.
    @Test func aRoundsProbesRunAtTheProbingPriorityOnNicedThreads() async throws {
        let checker = FakeChecker([:])
        let (prober, _) = makeProber(checker, targets: Self.atSigns(6))
        await Task(priority: ExporterService.probePriority) { await prober.runRound() }.value
        #expect(checker.pings == 1)
        #expect(checker.priorities == [ExporterService.probePriority.rawValue])
        let base = csystem_this_threads_nice()
        #expect(checker.niceValues.allSatisfy { $0 > base }, "\(checker.niceValues) vs \(base)")
    }

    /// The control: at the default priority they run at the caller's nice value.
    @Test func aRoundAtTheDefaultPriorityRunsAtItsCallersNiceValue() async throws {
        let checker = FakeChecker([:])
        let (prober, _) = makeProber(checker, targets: Self.atSigns(3))
        await Task(priority: .medium) { await prober.runRound() }.value
        #expect(checker.priorities == [TaskPriority.medium.rawValue])
        #expect(!checker.niceValues.contains { $0 > csystem_this_threads_nice() })
    }

    @Test func statusChangesAreReportedOncePerChange() async throws {
        let alice = try AtSign("@alice")
        let checker = FakeChecker([:])
        let changes = Changes()
        let (prober, _) = makeProber(checker, targets: [alice], changes: changes)
        await prober.runRound()
        await prober.runRound()
        checker.set(alice, .answer(.found, .teapot))
        await prober.runRound()
        #expect(changes.all.map(\.to) == [.activated, .teapot])
        #expect(changes.all.map(\.from) == [nil, .activated])
    }

    /// First statuses are counted per round, for the log's one line in their place: all of
    /// round 1, none of a round that only repeats them, and the atSign a reload added.
    @Test func eachRoundReportsTheFirstStatusesItFound() async throws {
        let targets = Self.atSigns(4)
        let checker = FakeChecker([targets[1]: .answer(.found, .teapot), targets[2]: .answer(.notFound, .unavailable)])
        let reports = Recorded<RoundReport>()
        let (prober, store) = makeProber(checker, targets: targets, reports: reports)
        await prober.runRound()
        await prober.runRound()
        let added = try AtSign("@added")
        store.setTargets(targets + [added])
        checker.set(targets[0], .answer(.found, .teapot))
        await prober.runRound()
        #expect(reports.all.map(\.firstStatuses) == [[.activated: 2, .teapot: 1, .notFound: 1], [:], [.activated: 1]])
        #expect(reports.all.map(\.atSigns) == [4, 4, 5])
    }

    @Test func concurrencyIsCapped() async throws {
        let targets = Self.atSigns(20)
        let checker = FakeChecker(Dictionary(uniqueKeysWithValues: targets.map { ($0, .gated(.found, .activated)) }))
        let (prober, store) = makeProber(checker, targets: targets, concurrency: 3)
        let round = Task { await prober.runRound() }
        try await eventually { checker.inFlight >= 3 }
        #expect(checker.inFlight == 3)
        checker.releaseAll()
        await round.value
        #expect(checker.maxInFlight == 3)
        #expect(store.snapshot.records.values.allSatisfy { $0.result != nil })
    }

    @Test func aHungProbeIsCutOffAtItsDeadline() async throws {
        let alice = try AtSign("@alice")
        let clock = ManualClock()
        let checker = FakeChecker([alice: .hang])
        let (prober, store) = makeProber(checker, targets: [alice], clock: clock)
        let round = Task { await prober.runRound() }
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(10) + Prober.cutOffGrace)
        await round.value
        let result = try #require(store.snapshot.records[alice]?.result)
        #expect(result.atSignStatus == .unavailable)
        #expect(result.failure?.reason == .timeout)
        #expect(store.snapshot.records[alice]?.failures == 1)
    }

    @Test func probeStartsAreSpreadOverTheInterval() async throws {
        let targets = Self.atSigns(4)
        let clock = ManualClock()
        let checker = FakeChecker([:])
        let (prober, _) = makeProber(checker, targets: targets, spread: 0.5, clock: clock)
        let round = Task { await prober.runRound() }
        try await eventually { checker.calls(targets[0]) == 1 }
        try await clock.waitForSleepers(1)  // the round waits for the next start
        #expect(checker.calls(targets[1]) == 0)
        clock.advance(by: .seconds(8))  // the second start is at 7.5 s
        try await eventually { checker.calls(targets[1]) == 1 }
        try await clock.waitForSleepers(1)
        #expect(checker.calls(targets[2]) == 0)
        clock.advance(by: .seconds(30))
        await round.value
        #expect(targets.allSatisfy { checker.calls($0) == 1 })
    }

    @Test func roundsRepeatEveryInterval() async throws {
        let alice = try AtSign("@alice")
        let clock = ManualClock()
        let checker = FakeChecker([:])
        let (prober, store) = makeProber(checker, targets: [alice], clock: clock)
        let running = Task { await prober.run() }
        try await eventually { store.snapshot.roundsCompleted == 1 }
        try await clock.waitForSleepers(1)  // run() waits for the next interval
        #expect(checker.calls(alice) == 1)
        clock.advance(by: .seconds(60))
        try await eventually { store.snapshot.roundsCompleted == 2 }
        #expect(checker.calls(alice) == 2)
        running.cancel()
        await running.value
    }

    @Test func reloadAddsAndRemovesTargets() async throws {
        let (alice, bob, carol) = (try AtSign("@alice"), try AtSign("@bob"), try AtSign("@carol"))
        let checker = FakeChecker([:])
        let (prober, store) = makeProber(checker, targets: [alice, bob])
        await prober.runRound()
        store.setTargets([bob, carol])
        #expect(store.snapshot.records[alice] == nil)
        await prober.runRound()
        #expect(checker.calls(alice) == 1 && checker.calls(bob) == 2 && checker.calls(carol) == 1)
        #expect(store.snapshot.targets == [bob, carol])
    }

    @Test func aResultForARemovedTargetIsDropped() throws {
        let store = SnapshotStore(rootAddress: "root.test:64")
        store.setTargets([])
        let alice = try AtSign("@alice")
        #expect(store.record(FakeChecker.result(alice, .found, .activated)) == nil)
        #expect(store.snapshot.records.isEmpty)
    }
}

/// Collects what one of the prober's callbacks is told, in order.
final class Recorded<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])
    func add(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}

typealias Changes = Recorded<StatusChange>
typealias Overruns = Recorded<RoundOverrun>
