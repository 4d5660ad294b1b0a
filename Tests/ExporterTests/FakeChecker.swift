import AtStatus
import CSystem
import NetIO
import Synchronization

@testable import Exporter

/// A checker whose answers the test chooses, which counts calls and concurrency.
final class FakeChecker: AtSignChecking {
    enum Behaviour: Sendable {
        case answer(RootStatus, ServerStatus)
        /// Never answers by itself; cancellation ends it with the failure a cancelled network
        /// wait gives (unavailable, reset), which must never be taken for a result.
        case hang
        /// Waits until the test calls `releaseAll()`, ignoring cancellation.
        case gated(RootStatus, ServerStatus)
    }

    private let behaviours: Mutex<[AtSign: Behaviour]>
    private let counters = Mutex<(calls: [AtSign: Int], inFlight: Int, maxInFlight: Int, pings: Int)>(([:], 0, 0, 0))
    /// The deadline each atSign's last check was given.
    private let deadlines = Mutex<[AtSign: Deadline]>([:])
    /// The task priorities and thread nice values that checks and pings ran at.
    private let seen = Mutex<(priorities: Set<UInt8>, nice: Set<Int32>)>(([], []))
    /// Whether the gate is open, and who waits at it: one lock, so a release cannot slip
    /// between a waiter's look at the gate and its joining the queue.
    private let gate = Mutex<(opened: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    init(_ behaviours: [AtSign: Behaviour]) {
        self.behaviours = Mutex(behaviours)
    }

    func set(_ atSign: AtSign, _ behaviour: Behaviour) { behaviours.withLock { $0[atSign] = behaviour } }

    var maxInFlight: Int { counters.withLock { $0.maxInFlight } }
    var inFlight: Int { counters.withLock { $0.inFlight } }
    var pings: Int { counters.withLock { $0.pings } }
    func calls(_ atSign: AtSign) -> Int { counters.withLock { $0.calls[atSign, default: 0] } }
    func deadline(_ atSign: AtSign) -> Deadline? { deadlines.withLock { $0[atSign] } }
    /// Raw values of `TaskPriority` (not Hashable).
    var priorities: Set<UInt8> { seen.withLock { $0.priorities } }
    var niceValues: Set<Int32> { seen.withLock { $0.nice } }

    private func noteWhereItRuns() {
        let priority = Task.currentPriority.rawValue
        let nice = csystem_this_threads_nice()
        seen.withLock { seen in
            seen.priorities.insert(priority)
            seen.nice.insert(nice)
        }
    }

    func releaseAll() {
        let waiting = gate.withLock { gate in
            defer { gate.waiting.removeAll() }
            gate.opened = true
            return gate.waiting
        }
        waiting.forEach { $0.resume() }
    }

    func check(_ atSign: AtSign, deadline: Deadline) async -> ProbeResult {
        deadlines.withLock { $0[atSign] = deadline }
        noteWhereItRuns()
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
            var result = Self.result(atSign, .unavailable, .unavailable)
            result.failure = ProbeFailure(reason: .reset, phase: .rootLookup, message: "cancelled")
            return result
        case .gated(let root, let server):
            await withCheckedContinuation { continuation in
                let open = gate.withLock { gate in
                    if !gate.opened { gate.waiting.append(continuation) }
                    return gate.opened
                }
                if open { continuation.resume() }
            }
            return Self.result(atSign, root, server)
        }
    }

    func pingRoot(deadline: Deadline) async -> RootLookup? {
        counters.withLock { $0.pings += 1 }
        noteWhereItRuns()
        return nil
    }

    static func result(_ atSign: AtSign, _ root: RootStatus, _ server: ServerStatus) -> ProbeResult {
        var result = ProbeResult(status: ProbeStatus(atSign: atSign, rootStatus: root, serverStatus: server))
        result.durationSeconds = 0.01
        result.finishedAt = 1_700_000_000
        result.rootReachable = root == .found || root == .notFound
        return result
    }
}
