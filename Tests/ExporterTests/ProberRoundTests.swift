import AtStatus
import NetIO
import TestSupport
import Testing

@testable import Exporter

/// Issue 9, findings 6, 7 and 10: the cut-off holds against a checker that ignores cancellation,
/// a probe cancelled by shutdown is no result, a round past its interval is counted, and the
/// first round is not spread.
@Suite(.timeLimit(.minutes(1))) struct ProberRoundTests {
    let setup = ProberTests()

    @Test func theCutOffHoldsWhenTheCheckerIgnoresCancellation() async throws {
        let (alice, bob) = (try AtSign("@alice"), try AtSign("@bob"))
        let clock = ManualClock()
        // `gated` ignores cancellation: only releaseAll() would end it.
        let checker = FakeChecker([alice: .gated(.found, .activated)])
        let (prober, store) = setup.makeProber(checker, targets: [alice, bob], clock: clock)
        let round = Task { await prober.runRound() }
        // Alice's cut-off time is fixed before her check starts, so the clock may move now.
        try await eventually { checker.inFlight == 1 && checker.calls(bob) == 1 }
        clock.advance(by: .seconds(10) + Prober.cutOffGrace)
        try await eventually { store.snapshot.roundsCompleted == 1 }
        let result = try #require(store.snapshot.records[alice]?.result)
        #expect(result.atSignStatus == .unavailable && result.failure?.reason == .timeout)
        #expect(store.snapshot.records[bob]?.result?.atSignStatus == .activated)
        #expect(checker.inFlight == 1, "the stuck checker still runs; the round did not wait for it")
        checker.releaseAll()
        await round.value
        #expect(store.snapshot.records[alice]?.failures == 1, "the late answer is not recorded")
    }

    /// The checker's deadline is the probe's start plus its timeout, on the clock of the cut-off:
    /// counted from when the checker's task first ran, a busy pool put it past the cut-off, which
    /// then ended probes about to report their own timeout (a root_wait read as server_check).
    @Test func theCheckersDeadlineCountsFromTheProbesStart() async throws {
        let alice = try AtSign("@alice")
        let clock = ManualClock()
        let checker = FakeChecker([:])
        let (prober, _) = setup.makeProber(checker, targets: [alice], clock: clock)
        let start = clock.now
        _ = try await prober.probe(alice)
        #expect(checker.deadline(alice) == start.adding(prober.schedule.timeout))
    }

    @Test func aProbeCancelledByShutdownIsNotRecordedOrLogged() async throws {
        let alice = try AtSign("@alice")
        let checker = FakeChecker([alice: .hang])
        let changes = Changes()
        let (prober, store) = setup.makeProber(checker, targets: [alice], changes: changes)
        let running = Task { await prober.run() }
        try await eventually { checker.inFlight == 1 }
        running.cancel()
        await running.value
        #expect(store.snapshot.records[alice]?.result == nil)
        #expect(store.snapshot.records[alice]?.failures == 0)
        #expect(changes.all.isEmpty)
        #expect(store.snapshot.roundsCompleted == 0, "a cancelled round is not a completed one")
    }

    @Test func aCancelledFreshProbeThrowsInsteadOfFailing() async throws {
        let alice = try AtSign("@alice")
        let checker = FakeChecker([alice: .hang])
        let (prober, _) = setup.makeProber(checker, targets: [alice])
        let probe = Task { try await prober.probe(alice) }
        try await eventually { checker.inFlight == 1 }
        probe.cancel()
        await #expect(throws: CancellationError.self) { try await probe.value }
    }

    @Test func aRoundPastItsIntervalIsCountedAndReported() async throws {
        let (alice, bob) = (try AtSign("@alice"), try AtSign("@bob"))
        let clock = ManualClock()
        let checker = FakeChecker([alice: .hang])
        let overruns = Overruns()
        let (prober, store) = setup.makeProber(checker, targets: [alice, bob], clock: clock, overruns: overruns)
        // On time: bob answers at once, alice is cut off 10.25 s in, within the 60 s interval.
        let first = Task { await prober.runRound() }
        try await eventually { checker.inFlight == 1 && checker.calls(bob) == 1 }
        clock.advance(by: .seconds(11))
        await first.value
        #expect(store.snapshot.roundsCompleted == 1 && store.snapshot.roundsOverrun == 0)
        #expect(overruns.all.isEmpty)
        // Late: the clock jumps past the interval while alice's probe is pending.
        let round = Task { await prober.runRound() }
        try await eventually { checker.inFlight == 1 && checker.calls(bob) == 2 }
        clock.advance(by: .seconds(61))
        await round.value
        #expect(store.snapshot.roundsCompleted == 2 && store.snapshot.roundsOverrun == 1)
        let overrun = try #require(overruns.all.first)
        #expect(overruns.all.count == 1)
        #expect(overrun.seconds == 61 && overrun.interval == .seconds(60) && overrun.atSigns == 2)
    }

    @Test func theFirstRoundIsNotSpreadSoReadinessComesAtOnce() async throws {
        let targets = ProberTests.atSigns(4)
        let clock = ManualClock()
        let checker = FakeChecker([:])
        let (prober, store) = setup.makeProber(checker, targets: targets, spread: 0.5, clock: clock)
        let running = Task { await prober.run() }
        // No clock movement at all: the first round must end on its own.
        try await eventually { store.snapshot.roundsCompleted == 1 }
        #expect(targets.allSatisfy { checker.calls($0) == 1 })
        // The next round spreads its starts again: the second start waits 7.5 s.
        clock.advance(by: .seconds(60))
        try await eventually { checker.calls(targets[0]) == 2 }
        #expect(checker.calls(targets[1]) == 1)
        running.cancel()
        await running.value
    }
}
