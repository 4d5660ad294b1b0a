import AtStatus
import Exposition

/// The latest probe of one atSign and what the exporter counts about it.
public struct AtSignRecord: Sendable {
    public var result: ProbeResult?
    /// When the overall status last changed (Unix seconds); the first probe counts as a change.
    public var statusChangedAt: Double?
    public var successes: UInt64 = 0
    public var failures: UInt64 = 0
    /// Probes in a row, up to the last, without a definite answer: alerts can ask for N in a row
    /// (as Gatus and Cloudprober do) while `atsign_status` still shows the raw result.
    public var consecutiveFailures: UInt64 = 0
    /// `atsign="@alice"`, escaped and rendered once when the atSign is configured.
    public let labels: LabelSet

    public init(atSign: AtSign) {
        labels = (try? LabelSet(["atsign": atSign.name])) ?? .empty
    }
}

/// What the exporter last heard from the root.
public struct RootHealth: Sendable {
    public var address: String
    public var up: Bool?
    public var lookupSeconds: Double?
    public var certificateNotAfter: Double?

    public init(address: String) { self.address = address }
}

/// An immutable picture of everything `/metrics`, `/` and the API show. Scrapes copy it out of
/// the store (copy-on-write makes that O(1)) and render without holding any lock.
public struct Snapshot: Sendable {
    /// The atSigns configured in this shard, sorted.
    public var targets: [AtSign] = []
    /// One record per target, always: an atSign not yet probed has a record with no result.
    public var records: [AtSign: AtSignRecord] = [:]
    public var root: RootHealth
    public var lastRoundSeconds: Double?
    public var roundsCompleted = 0
    /// Rounds that ran past their interval: `atsign_exporter_probe_rounds_overrun_total`.
    public var roundsOverrun = 0
    /// Every probe's duration, keyed by success: `atsign_exporter_probe_duration_seconds`.
    public var probeDurations: [Bool: Histogram] = [true: .probeDurations, false: .probeDurations]
    public var lastReloadSuccessful = true
    public var lastReloadTimestamp: Double = 0
    /// Bumped by every change in the store: equal versions mean equal snapshots, which lets a
    /// scrape reuse what the last one rendered.
    public var version: UInt64 = 0

    public init(rootAddress: String) {
        root = RootHealth(address: rootAddress)
    }
}

extension Histogram {
    /// Buckets up to 30 s: the default probe timeout is 10 s and operators raise it.
    static let probeDurations = try! Histogram(upperBounds: [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
    ])
}
