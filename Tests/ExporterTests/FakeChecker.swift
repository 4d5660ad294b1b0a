import AtStatus
import Synchronization

@testable import Exporter

/// A checker whose answers the test chooses, which counts calls and concurrency.
final class FakeChecker: AtSignChecking {
    enum Behaviour: Sendable {
        case answer(RootStatus, ServerStatus)
        /// Never answers by itself; only cancellation ends it.
        case hang
        /// Waits until the test calls `releaseAll()`.
        case gated(RootStatus, ServerStatus)
    }

    private let behaviours: Mutex<[AtSign: Behaviour]>
    private let counters = Mutex<(calls: [AtSign: Int], inFlight: Int, maxInFlight: Int, pings: Int)>(([:], 0, 0, 0))
    private let gate = Mutex<[CheckedContinuation<Void, Never>]>([])
    private let opened = Mutex(false)

    init(_ behaviours: [AtSign: Behaviour]) {
        self.behaviours = Mutex(behaviours)
    }

    func set(_ atSign: AtSign, _ behaviour: Behaviour) { behaviours.withLock { $0[atSign] = behaviour } }

    var maxInFlight: Int { counters.withLock { $0.maxInFlight } }
    var inFlight: Int { counters.withLock { $0.inFlight } }
    var pings: Int { counters.withLock { $0.pings } }
    func calls(_ atSign: AtSign) -> Int { counters.withLock { $0.calls[atSign, default: 0] } }

    func releaseAll() {
        let waiting = gate.withLock { waiting in
            defer { waiting.removeAll() }
            return waiting
        }
        opened.withLock { $0 = true }
        waiting.forEach { $0.resume() }
    }

    func check(_ atSign: AtSign, timeout: Duration?) async -> ProbeResult {
        counters.withLock { counters in
            counters.calls[atSign, default: 0] += 1
            counters.inFlight += 1
            counters.maxInFlight = max(counters.maxInFlight, counters.inFlight)
        }
        defer { counters.withLock { $0.inFlight -= 1 } }
        let behaviour = behaviours.withLock { $0[atSign] } ?? .answer(.found, .activated)
        switch behaviour {
        case .answer(let root, let server):
            return Self.result(atSign, root, server)
        case .hang:
            try? await Task.sleep(for: .seconds(3600))
            return Self.result(atSign, .found, .activated)
        case .gated(let root, let server):
            await withCheckedContinuation { continuation in
                let open = opened.withLock { $0 }
                if open { continuation.resume() } else { gate.withLock { $0.append(continuation) } }
            }
            return Self.result(atSign, root, server)
        }
    }

    func pingRoot(timeout: Duration?) async -> RootLookup? {
        counters.withLock { $0.pings += 1 }
        return nil
    }

    static func result(_ atSign: AtSign, _ root: RootStatus, _ server: ServerStatus) -> ProbeResult {
        var result = ProbeResult(status: AtStatus(atSign: atSign, rootStatus: root, serverStatus: server))
        result.durationSeconds = 0.01
        result.finishedAt = 1_700_000_000
        result.rootReachable = root == .found || root == .notFound
        return result
    }
}
