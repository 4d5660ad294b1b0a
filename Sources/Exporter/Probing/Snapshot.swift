import AtStatus

/// The latest probe of one atSign and what the exporter counts about it.
public struct AtSignRecord: Sendable {
    public var result: ProbeResult?
    /// When the overall status last changed (Unix seconds); the first probe counts as a change.
    public var statusChangedAt: Double?
    public var successes: UInt64 = 0
    public var failures: UInt64 = 0

    public init() {}
}

/// What the exporter last heard from the root.
public struct RootHealth: Sendable {
    public var address: String
    public var up: Bool?
    public var lookupSeconds: Double?
    public var certificateNotAfter: Double?

    public init(address: String) { self.address = address }
}

/// Cumulative bucket counts of probe durations, one histogram per result.
public struct DurationHistogram: Sendable, Equatable {
    public static let bounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]
    /// Count of observations at or below each bound (not yet cumulative across bounds).
    public private(set) var bucketCounts = [UInt64](repeating: 0, count: bounds.count)
    public private(set) var count: UInt64 = 0
    public private(set) var sum: Double = 0

    public init() {}

    public mutating func observe(_ value: Double) {
        if let index = Self.bounds.firstIndex(where: { value <= $0 }) { bucketCounts[index] += 1 }
        count += 1
        sum += value
    }

    /// Cumulative counts per bound, as the exposition wants them (`+Inf` is `count`).
    public var cumulativeCounts: [UInt64] {
        var running: UInt64 = 0
        return bucketCounts.map { value in
            running += value
            return running
        }
    }
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
    public var probeDurations: [Bool: DurationHistogram] = [true: DurationHistogram(), false: DurationHistogram()]
    public var lastReloadSuccessful = true
    public var lastReloadTimestamp: Double = 0

    public init(rootAddress: String) {
        root = RootHealth(address: rootAddress)
    }
}
