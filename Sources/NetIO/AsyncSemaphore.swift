import Synchronization

/// Counts permits for async tasks without blocking a thread; waiters queue in FIFO order and
/// give up at their deadline. Used to cap root connections and in-flight probes.
public final class AsyncSemaphore: Sendable {
    private struct State {
        var available: Int
        var waiters: [(token: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        var nextToken: UInt64 = 0
        /// Tokens handed out whose continuation is not queued yet, and why one expired meanwhile.
        var pending: [UInt64: NetError?] = [:]
    }

    private let state: Mutex<State>

    public init(permits: Int) {
        precondition(permits > 0, "a semaphore needs at least one permit")
        state = Mutex(State(available: permits))
    }

    /// Takes a permit, waiting until one is free or `deadline` passes (then `NetError.timeout`).
    public func acquire(deadline: Deadline) async throws {
        let token = state.withLock { state -> UInt64? in
            if state.available > 0 {
                state.available -= 1
                return nil
            }
            state.nextToken += 1
            state.pending[state.nextToken] = .some(nil)
            return state.nextToken
        }
        guard let token else { return }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: deadline.remaining)
            self?.expire(token: token)
        }
        defer { timer.cancel() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let expired = state.withLock { state -> NetError? in
                    let expired = state.pending.removeValue(forKey: token) ?? nil
                    if expired == nil { state.waiters.append((token, continuation)) }
                    return expired
                }
                if let expired { continuation.resume(throwing: expired) }
            }
        } onCancel: {
            expire(token: token, error: .cancelled)
        }
    }

    /// Returns a permit, handing it straight to the oldest waiter if there is one.
    public func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if state.waiters.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume()
    }

    private func expire(token: UInt64, error: NetError = .timeout(operation: "wait for a free connection")) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if state.pending[token] != nil {
                state.pending[token] = .some(error)
                return nil
            }
            guard let index = state.waiters.firstIndex(where: { $0.token == token }) else { return nil }
            return state.waiters.remove(at: index).continuation
        }
        waiter?.resume(throwing: error)
    }
}
