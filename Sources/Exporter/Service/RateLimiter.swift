import NetIO
import Synchronization

/// A token bucket for the fresh probes of `/api/v1/status` (`--web.max-fresh-probes-per-second`):
/// a client must not turn the exporter into a load generator. `/probe` is not limited by rate,
/// which would refuse a big Prometheus job, but by `ExporterService.probeSlots`.
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
