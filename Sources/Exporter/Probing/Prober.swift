import AtStatus
import Basics
import CSystem
import NetIO
import Synchronization

/// Anything that can check an atSign: the real `StatusChecker`, or a fake in tests.
public protocol AtSignChecking: Sendable {
    /// `deadline` is set by the caller when the probe starts, with its cut-off (see `probe`).
    func check(_ atSign: AtSign, deadline: Deadline) async -> ProbeResult
    func pingRoot(deadline: Deadline) async -> RootLookup?
}

extension StatusChecker: AtSignChecking {}

/// Probes every configured atSign once per interval, at most `concurrency` at a time, with start
/// times spread over part of the interval so the root and the network see a steady trickle.
public final class Prober: Sendable {
    public struct Schedule: Sendable, Equatable {
        public var interval: Duration
        public var timeout: Duration
        public var concurrency: Int
        /// The share of the interval over which a round's probe starts are spread.
        public var spread: Double

        public init(interval: Duration, timeout: Duration, concurrency: Int, spread: Double = 0.5) {
            self.interval = interval
            self.timeout = timeout
            self.concurrency = max(1, concurrency)
            self.spread = spread
        }
    }

    /// How long past its deadline a probe may run before the prober stops waiting for it.
    static let cutOffGrace: Duration = .milliseconds(250)

    private let checker: Mutex<any AtSignChecking>
    private let store: SnapshotStore
    private let scheduleState: Mutex<Schedule>
    private let clock: any ProberClock
    private let onOverrun: @Sendable (RoundOverrun) -> Void
    private let onChange: @Sendable (StatusChange) -> Void
    private let onRoundFinished: @Sendable (RoundReport) -> Void

    public init(
        checker: any AtSignChecking, store: SnapshotStore, schedule: Schedule,
        clock: any ProberClock = SystemProberClock(), onChange: @escaping @Sendable (StatusChange) -> Void = { _ in },
        onOverrun: @escaping @Sendable (RoundOverrun) -> Void = { _ in },
        onRoundFinished: @escaping @Sendable (RoundReport) -> Void = { _ in }
    ) {
        self.checker = Mutex(checker)
        self.store = store
        scheduleState = Mutex(schedule)
        self.clock = clock
        self.onOverrun = onOverrun
        self.onChange = onChange
        self.onRoundFinished = onRoundFinished
    }

    public var schedule: Schedule { scheduleState.withLock { $0 } }

    /// Takes effect from the next round (reload).
    public func update(schedule: Schedule, checker newChecker: (any AtSignChecking)? = nil) {
        scheduleState.withLock { $0 = schedule }
        if let newChecker { checker.withLock { $0 = newChecker } }
    }

    private var currentChecker: any AtSignChecking { checker.withLock { $0 } }

    /// Runs rounds until the task is cancelled. The first round starts every probe at once (only
    /// the concurrency limit holds them back), so `/-/ready` does not wait out half an interval
    /// for atSigns that answer in milliseconds; later rounds spread their starts.
    public func run() async {
        var spread = false
        while !Task.isCancelled {
            let start = clock.now
            await runRound(spread: spread)
            spread = true
            do {
                try await clock.sleep(until: start.adding(schedule.interval))
            } catch {
                return
            }
        }
    }

    /// One round over the current targets, and a root ping. Returns when every probe has ended
    /// or been cut off. A round cancelled by shutdown records nothing more and is not counted.
    public func runRound(spread: Bool = true) async {
        let schedule = self.schedule
        let checker = currentChecker
        let targets = store.read { $0.targets }
        let start = clock.now
        let limiter = AsyncSemaphore(permits: schedule.concurrency)
        let firstStatuses = StatusTally()
        let window = spread ? Int64(Double(schedule.interval.nanosecondsClamped) * schedule.spread) : 0
        await withDiscardingTaskGroup { group in
            group.addTask { [self, store] in
                if let ping = try? await pingRoot(checker: checker, timeout: schedule.timeout) {
                    store.recordRootPing(up: ping.status == .found, certificateNotAfter: ping.certificateNotAfter)
                }
            }
            for (index, atSign) in targets.enumerated() {
                let offset = targets.count > 1 ? window / Int64(targets.count) * Int64(index) : 0
                do {
                    try await clock.sleep(until: start.adding(.nanoseconds(offset)))
                    try await limiter.acquire(deadline: .distantFuture)
                } catch {
                    break
                }
                group.addTask { [self] in
                    defer { limiter.release() }
                    // A probe cancelled by shutdown is not a result: nothing to record or log.
                    guard let result = try? await probe(atSign, checker: checker, timeout: schedule.timeout) else {
                        return
                    }
                    guard let change = store.record(result) else { return }
                    onChange(change)
                    if change.from == nil { firstStatuses.add(change.to) }
                }
            }
        }
        if Task.isCancelled { return }
        let now = clock.now
        let overran = now > start.adding(schedule.interval)
        store.finishRound(seconds: now.seconds(since: start), overran: overran)
        onRoundFinished(
            RoundReport(
                seconds: now.seconds(since: start), atSigns: targets.count,
                firstStatuses: firstStatuses.counts))
        if overran {
            onOverrun(
                RoundOverrun(
                    seconds: now.seconds(since: start), interval: schedule.interval, atSigns: targets.count,
                    concurrency: schedule.concurrency))
        }
        // A round of 512 concurrent TLS sessions frees tens of MB in small blocks that glibc
        // keeps in its arenas: give them back, or RSS stays at the round's peak (10,000 atSigns:
        // 106 → 60 MiB after a round). Once per round, a few ms of this task's time.
        _ = csystem_release_free_memory()
    }

    /// One probe, cut off shortly after its deadline even if the checker never returns.
    /// Throws `CancellationError` when the caller is cancelled (shutdown) before it ends.
    public func probe(_ atSign: AtSign, timeout: Duration? = nil) async throws(CancellationError) -> ProbeResult {
        try await probe(atSign, checker: currentChecker, timeout: timeout ?? schedule.timeout)
    }

    private func probe(_ atSign: AtSign, checker: any AtSignChecking, timeout: Duration) async throws(CancellationError)
        -> ProbeResult
    {
        // The deadline and the cut-off both count from now, not from when the work's task first
        // runs: on a busy pool that can be a second later, past the cut-off's grace.
        let start = clock.now
        let deadline = start.adding(timeout)
        return try await raceCutOff(
            cutOff: start.adding(timeout + Self.cutOffGrace), clock: clock,
            work: { await checker.check(atSign, deadline: deadline) },
            fallback: { Self.cutOffResult(atSign, timeout: timeout) })
    }

    /// The root ping gets the same cut-off; one that does not end in time tells nothing.
    private func pingRoot(checker: any AtSignChecking, timeout: Duration) async throws(CancellationError)
        -> RootLookup?
    {
        let start = clock.now
        return try await raceCutOff(
            cutOff: start.adding(timeout + Self.cutOffGrace), clock: clock,
            work: { await checker.pingRoot(deadline: start.adding(timeout)) }, fallback: { nil })
    }

    /// A safety net: the checker bounds its own I/O by the deadline, so this only fires when
    /// something inside it misbehaves. The phase is unknown; it is not blamed on the root.
    static func cutOffResult(_ atSign: AtSign, timeout: Duration) -> ProbeResult {
        var result = ProbeResult(
            status: ProbeStatus(atSign: atSign, rootStatus: .unavailable, serverStatus: .unavailable))
        result.durationSeconds = timeout.secondsDouble
        result.finishedAt = WallTime.now()
        result.failure = ProbeFailure(
            reason: .timeout, phase: .serverCheck, message: "probe did not finish within \(timeout)")
        return result
    }
}

/// A finished round, for the log.
public struct RoundReport: Sendable, Equatable {
    public let seconds: Double
    public let atSigns: Int
    /// The atSigns that got their first status in this round, by that status: every atSign in
    /// round 1, those a reload added later.
    public let firstStatuses: [AtSignStatus: Int]
}

/// Statuses counted by the probes of one round as they finish.
private final class StatusTally: Sendable {
    private let state = Mutex<[AtSignStatus: Int]>([:])

    func add(_ status: AtSignStatus) { state.withLock { $0[status, default: 0] += 1 } }
    var counts: [AtSignStatus: Int] { state.withLock { $0 } }
}

/// A round that took longer than its interval: the next one starts late, so every atSign is
/// probed less often than configured. Counted and logged.
public struct RoundOverrun: Sendable, Equatable {
    public let seconds: Double
    public let interval: Duration
    public let atSigns: Int
    public let concurrency: Int
}
