import Dispatch
import Synchronization

@testable import NetIO

/// A `NameLookup` whose answers, failures and delays a test scripts: a held host blocks its
/// resolver thread until the test releases it, so "slow" is an event, not a sleep.
final class ScriptedLookup: NameLookup {
    private let answers: [String: NameLookupResult]
    private let held = Mutex<[String: DispatchSemaphore]>([:])
    private let started = Mutex<[String: Int]>([:])
    private let finished = Mutex<[String: Int]>([:])

    init(_ answers: [String: NameLookupResult]) { self.answers = answers }

    func hold(_ host: String) { held.withLock { $0[host] = DispatchSemaphore(value: 0) } }
    func release(_ host: String) { _ = held.withLock { $0.removeValue(forKey: host) }?.signal() }
    func calls(_ host: String) -> Int { started.withLock { $0[host] ?? 0 } }
    func answered(_ host: String) -> Int { finished.withLock { $0[host] ?? 0 } }

    func lookup(host: String) -> NameLookupResult {
        started.withLock { $0[host, default: 0] += 1 }
        if let gate = held.withLock({ $0[host] }) { gate.wait() }
        finished.withLock { $0[host, default: 0] += 1 }
        return answers[host] ?? .noSuchHost("Name or service not known")
    }
}

/// A clock the test moves by hand, for cache lifetimes.
final class ManualDeadlineClock: Sendable {
    private let current = Mutex(Deadline(nanoseconds: 1_000_000_000_000))
    var now: Deadline { current.withLock { $0 } }
    func advance(_ duration: Duration) { current.withLock { $0 = $0.adding(duration) } }
}
