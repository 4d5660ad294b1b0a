/// A cumulative histogram with fixed bucket bounds, as client_golang keeps one.
public struct Histogram: Sendable, Equatable {
    /// The bounds of client_golang's `DefBuckets`, suited to durations in seconds.
    public static let defaultUpperBounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// Finite, strictly increasing; the `+Inf` bucket is implicit.
    public let upperBounds: [Double]
    /// Observations per bucket (not cumulative); the last entry is the `+Inf` overflow.
    public private(set) var bucketCounts: [UInt64]
    public private(set) var sum: Double = 0
    public private(set) var count: UInt64 = 0

    /// Refuses bounds that are unsorted, repeated, NaN or infinite, naming the first culprit.
    public init(upperBounds: [Double] = Histogram.defaultUpperBounds) throws(ExpositionError) {
        for (index, bound) in upperBounds.enumerated() {
            if !bound.isFinite {
                throw .invalidHistogram("bucket bound \(bound) at index \(index) is not finite; +Inf is implicit")
            }
            if index > 0 && upperBounds[index - 1] >= bound {
                throw .invalidHistogram(
                    "bucket bounds must increase strictly, but \(bound) at index \(index) follows \(upperBounds[index - 1])"
                )
            }
        }
        self.upperBounds = upperBounds
        self.bucketCounts = Array(repeating: 0, count: upperBounds.count + 1)
    }

    /// Counts one observation. NaN is ignored: it would turn the sum into NaN for good.
    public mutating func observe(_ value: Double) {
        if value.isNaN { return }
        var low = 0
        var high = upperBounds.count
        while low < high {
            let middle = (low + high) / 2
            if upperBounds[middle] < value { low = middle + 1 } else { high = middle }
        }
        bucketCounts[low] += 1
        count += 1
        sum += value
    }

    /// Adds every observation of `other`, which must have the same bounds.
    public mutating func merge(_ other: Histogram) throws(ExpositionError) {
        guard other.upperBounds == upperBounds else {
            throw .invalidHistogram("cannot merge histograms with different bucket bounds")
        }
        for index in bucketCounts.indices { bucketCounts[index] += other.bucketCounts[index] }
        count += other.count
        sum += other.sum
    }
}
