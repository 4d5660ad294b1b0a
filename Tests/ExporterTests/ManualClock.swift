import NetIO
import Synchronization
import TestSupport

@testable import Exporter

/// A prober clock that moves only when the test says so.
final class ManualClock: ProberClock {
    private struct Sleeper {
        let token: Int
        let until: Deadline
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let state = Mutex<(now: UInt64, next: Int, sleepers: [Sleeper], cancelledEarly: Set<Int>)>(
        (1_000_000_000, 0, [], []))

    var now: Deadline { Deadline(nanoseconds: state.withLock { $0.now }) }
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    func sleep(until deadline: Deadline) async throws {
        let token = state.withLock { state in
            state.next += 1
            return state.next
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Cancellation may have run before this closure: then nobody would ever resume it.
                let outcome = state.withLock { state -> Result<Void, any Error>? in
                    if state.cancelledEarly.remove(token) != nil { return .failure(CancellationError()) }
                    if deadline.nanoseconds <= state.now { return .success(()) }
                    state.sleepers.append(Sleeper(token: token, until: deadline, continuation: continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.token == token }) else {
                    state.cancelledEarly.insert(token)
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now += UInt64(duration.nanosecondsClamped)
            let now = state.now
            let due = state.sleepers.filter { $0.until.nanoseconds <= now }
            state.sleepers.removeAll { $0.until.nanoseconds <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Waits (in real time, bounded) until `count` tasks sleep on this clock.
    func waitForSleepers(_ count: Int) async throws {
        try await eventually("\(count) sleepers on the manual clock") { sleeperCount >= count }
    }
}
