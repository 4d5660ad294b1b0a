import NetIO
import Synchronization

/// Runs `work` in a task of its own and returns its value, or `fallback()` once `cutOff` passes
/// on `clock`, whichever comes first. Throws `CancellationError` when the caller is cancelled
/// before either (shutdown): a cancelled probe has no result to report.
///
/// The work's task is cancelled once the race is decided but never awaited for an answer. A task
/// group would wait for it, so a checker that ignores cancellation could hold a whole round;
/// here it holds only its own task. On shutdown the cancelled work gets until the cut-off to
/// unwind, so no probe is left inside OpenSSL as the process exits. Both tasks inherit the
/// caller's priority: a round's probes stay at `ExporterService.probePriority`.
func raceCutOff<Value: Sendable>(
    cutOff: Deadline, clock: any ProberClock, work: @escaping @Sendable () async -> Value,
    fallback: @escaping @Sendable () -> Value
) async throws(CancellationError) -> Value {
    if Task.isCancelled { throw CancellationError() }
    let answer = FirstAnswer<Value>()
    let ended = FirstAnswer<Void>()
    let worker = Task {
        answer.settle(await work())
        ended.settle(())
    }
    let timer = Task {
        do {
            try await clock.sleep(until: cutOff)
        } catch {
            return
        }
        answer.settle(fallback())
        ended.settle(())
    }
    let value = await withTaskCancellationHandler {
        await answer.value()
    } onCancel: {
        answer.settle(nil)
    }
    worker.cancel()
    if value == nil { _ = await ended.value() }
    timer.cancel()
    guard let value else { throw CancellationError() }
    return value
}

/// A one-shot rendezvous: the first `settle` wins (nil stands for "cancelled"), later ones are
/// dropped, and the single waiter gets the winner whether it arrived before or after.
final class FirstAnswer<Value: Sendable>: Sendable {
    private enum State {
        case open
        case waiting(CheckedContinuation<Value?, Never>)
        case decided(Value?)
    }

    private let state = Mutex<State>(.open)

    func settle(_ value: Value?) {
        let waiter = state.withLock { state -> CheckedContinuation<Value?, Never>? in
            switch state {
            case .open:
                state = .decided(value)
                return nil
            case .waiting(let continuation):
                state = .decided(value)
                return continuation
            case .decided:
                return nil
            }
        }
        waiter?.resume(returning: value)
    }

    /// Waits for the winner. Only one task may wait.
    func value() async -> Value? {
        await withCheckedContinuation { continuation in
            let decided = state.withLock { state -> Value?? in
                switch state {
                case .open:
                    state = .waiting(continuation)
                    return nil
                case .decided(let value):
                    return .some(value)
                case .waiting:
                    preconditionFailure("FirstAnswer has a single waiter")
                }
            }
            if let decided { continuation.resume(returning: decided) }
        }
    }
}
