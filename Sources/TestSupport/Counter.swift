import Synchronization

/// A count that concurrent tasks of a test add to and the test reads: a class, so a `@Sendable`
/// closure can capture it (an `Atomic` itself cannot be captured).
public final class Counter: Sendable {
    private let count = Atomic<Int>(0)

    public init() {}

    public var value: Int { count.load(ordering: .relaxed) }

    public func add(_ delta: Int = 1) { count.add(delta, ordering: .relaxed) }
}
