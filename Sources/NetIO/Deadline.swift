import CSystem

/// A point on the monotonic clock. Every wait in NetIO takes one, so no I/O can hang forever.
public struct Deadline: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Nanoseconds of CLOCK_MONOTONIC.
    public let nanoseconds: UInt64

    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static var now: Deadline {
        var value: UInt64 = 0
        _ = csystem_clock_monotonic_ns(&value)
        return Deadline(nanoseconds: value)
    }

    public static let distantFuture = Deadline(nanoseconds: UInt64.max / 2)

    public static func after(_ duration: Duration) -> Deadline {
        now.adding(duration)
    }

    public func adding(_ duration: Duration) -> Deadline {
        let nanos = duration.nanosecondsClamped
        if nanos <= 0 { return self }
        let (sum, overflow) = nanoseconds.addingReportingOverflow(UInt64(nanos))
        return overflow ? .distantFuture : Deadline(nanoseconds: min(sum, Deadline.distantFuture.nanoseconds))
    }

    public func subtracting(_ duration: Duration) -> Deadline {
        let nanos = UInt64(max(0, duration.nanosecondsClamped))
        return Deadline(nanoseconds: nanoseconds > nanos ? nanoseconds - nanos : 0)
    }

    /// Time left until the deadline, zero once passed.
    public var remaining: Duration {
        let current = Deadline.now.nanoseconds
        return current >= nanoseconds ? .zero : .nanoseconds(Int64(clamping: nanoseconds - current))
    }

    public var hasPassed: Bool { Deadline.now >= self }

    /// Seconds elapsed from `start` to this deadline, as a Double for metrics.
    public func seconds(since start: Deadline) -> Double {
        nanoseconds >= start.nanoseconds ? Double(nanoseconds - start.nanoseconds) / 1e9 : 0
    }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public var description: String { "Deadline(\(nanoseconds)ns)" }
}

extension Duration {
    /// The duration in whole nanoseconds, clamped to Int64.
    public var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }

    /// The duration in seconds as a Double.
    public var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
