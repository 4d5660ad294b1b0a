import NetIO
import Synchronization

/// A token bucket for probes that HTTP requests cause (`--web.max-fresh-probes-per-second`):
/// `/probe` and `/api/v1/status` must not let a client turn the exporter into a load generator.
final class RateLimiter: Sendable {
    private let state: Mutex<(tokens: Double, last: Deadline)>
    private let perSecond: Double
    private let burst: Double

    init(perSecond: Int, now: Deadline = .now) {
        self.perSecond = Double(max(1, perSecond))
        burst = Double(max(1, perSecond))
        state = Mutex((burst, now))
    }

    /// Takes a token if one is there.
    func tryAcquire(now: Deadline = .now) -> Bool {
        state.withLock { state in
            let elapsed = now.seconds(since: state.last)
            state.tokens = min(burst, state.tokens + elapsed * perSecond)
            state.last = max(state.last, now)
            guard state.tokens >= 1 else { return false }
            state.tokens -= 1
            return true
        }
    }
}
