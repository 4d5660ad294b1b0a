import AtStatus
import Synchronization

/// A status change, for the log line INTERFACE.md asks for (one per change, not per probe).
public struct StatusChange: Sendable, Equatable {
    public let atSign: AtSign
    public let from: AtSignStatus?
    public let to: AtSignStatus
    public let reason: FailureReason?
}

/// The single writer-many-readers home of the `Snapshot`. Writers hold the lock for a few
/// dictionary updates; readers take a copy and leave.
public final class SnapshotStore: Sendable {
    private let state: Mutex<Snapshot>
    /// Told of every change under the lock, so what it keeps matches one snapshot version.
    private let observer: (any SnapshotObserver)?

    public convenience init(rootAddress: String) {
        self.init(rootAddress: rootAddress, observer: nil)
    }

    init(rootAddress: String, observer: (any SnapshotObserver)?) {
        state = Mutex(Snapshot(rootAddress: rootAddress))
        self.observer = observer
    }

    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Runs `body` under the lock. A reader that keeps no copy never makes the next writer
    /// copy the 10,000-entry record table (copy-on-write), nor frees it itself afterwards.
    func read<Result>(_ body: (Snapshot) -> Result) -> Result {
        state.withLock { body($0) }
    }

    /// Every change goes through here, so `Snapshot.version` says whether anything changed.
    private func mutate<Result: Sendable>(_ body: (inout Snapshot) -> Result) -> Result {
        state.withLock { snapshot in
            snapshot.version &+= 1
            return body(&snapshot)
        }
    }

    /// Replaces the configured atSigns: each gets an (empty) record; removed ones vanish with theirs.
    public func setTargets(_ atSigns: [AtSign]) {
        let sorted = Array(Set(atSigns)).sorted()
        let keep = Set(sorted)
        mutate { snapshot in
            snapshot.targets = sorted
            snapshot.records = snapshot.records.filter { keep.contains($0.key) }
            for atSign in sorted where snapshot.records[atSign] == nil {
                snapshot.records[atSign] = AtSignRecord(atSign: atSign)
            }
            observer?.targetsChanged(snapshot)
        }
    }

    /// Stores a probe result. Returns the change when the overall status differs from the last one.
    /// A result for an atSign no longer configured is dropped (a reload raced the probe).
    @discardableResult
    public func record(_ result: ProbeResult) -> StatusChange? {
        mutate { snapshot -> StatusChange? in
            let atSign = result.status.atSign
            guard var record = snapshot.records[atSign] else { return nil }
            let replaced = record.result
            let previous = record.result?.atSignStatus
            let current = result.atSignStatus
            if result.succeeded {
                record.successes += 1
                record.consecutiveFailures = 0
            } else {
                record.failures += 1
                record.consecutiveFailures += 1
            }
            snapshot.probeDurations[result.succeeded, default: .probeDurations].observe(result.durationSeconds)
            if previous != current { record.statusChangedAt = result.finishedAt }
            record.result = result
            snapshot.records[atSign] = record
            observer?.recorded(atSign, record, replacing: replaced, version: snapshot.version)
            snapshot.absorbRootFacts(from: result)
            guard previous != current else { return nil }
            return StatusChange(atSign: atSign, from: previous, to: current, reason: result.failure?.reason)
        }
    }

    /// The root's health from a ping when no probe told us anything this round.
    public func recordRootPing(up: Bool, certificateNotAfter: Double?) {
        mutate { snapshot in
            snapshot.root.up = up
            if let certificateNotAfter { snapshot.root.certificateNotAfter = certificateNotAfter }
        }
    }

    public func finishRound(seconds: Double, overran: Bool = false) {
        mutate { snapshot in
            snapshot.lastRoundSeconds = seconds
            snapshot.roundsCompleted += 1
            if overran { snapshot.roundsOverrun += 1 }
        }
    }

    /// A failed reload keeps the time of the last successful one, as Prometheus itself does.
    public func recordReload(successful: Bool, at timestamp: Double) {
        mutate { snapshot in
            snapshot.lastReloadSuccessful = successful
            if successful { snapshot.lastReloadTimestamp = timestamp }
        }
    }
}

/// Keeps something derived from each atSign's record (the pre-rendered `/metrics` segments)
/// in step with the store. Called under the store's lock: it must be quick and must not call
/// back into the store.
protocol SnapshotObserver: Sendable {
    /// The configured atSigns changed (a reload); `snapshot` holds the new list and records.
    func targetsChanged(_ snapshot: Snapshot)
    /// `atSign`'s record changed from holding `replaced`; `version` is the snapshot version the change makes.
    func recorded(_ atSign: AtSign, _ record: AtSignRecord, replacing replaced: ProbeResult?, version: UInt64)
}

extension Snapshot {
    /// Root facts ride along with every probe that asked the root.
    mutating func absorbRootFacts(from result: ProbeResult) {
        if let lookup = result.phaseSeconds[.rootLookup] { root.lookupSeconds = lookup }
        if let notAfter = result.rootCertificateNotAfter { root.certificateNotAfter = notAfter }
        switch result.status.rootStatus {
        case .found, .notFound: root.up = true
        case .stopped, .unavailable, .error:
            // In proxy mode there is no root contact: only a directory lookup says the root is down.
            if result.failure?.phase.isRootPhase ?? false { root.up = false }
        }
    }
}

extension ProbePhase {
    /// `root_wait` is not one: it is time in our own queue, and never marks the root down.
    var isRootPhase: Bool { self == .rootConnect || self == .rootTLS || self == .rootLookup }
}
