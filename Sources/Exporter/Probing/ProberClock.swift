import NetIO

/// The prober's sense of time: the real monotonic clock, or a manual one in tests so rounds and
/// cut-offs can be checked without waiting.
public protocol ProberClock: Sendable {
    var now: Deadline { get }
    func sleep(until deadline: Deadline) async throws
}

public struct SystemProberClock: ProberClock {
    public init() {}

    public var now: Deadline { .now }

    public func sleep(until deadline: Deadline) async throws {
        let remaining = deadline.remaining
        if remaining > .zero { try await Task.sleep(for: remaining) }
        try Task.checkCancellation()
    }
}
