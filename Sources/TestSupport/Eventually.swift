/// A condition that did not come true in time; thrown, so the test fails and says where.
public struct ConditionTimeout: Error, CustomStringConvertible {
    public let description: String
}

/// Waits for `condition` to hold, polling every few milliseconds, and throws `ConditionTimeout`
/// naming the caller's line when `deadline` passes first. The deadline is generous on purpose:
/// it bounds a broken test, it is not a timing assertion, and a loaded machine is slow.
public func eventually(
    deadline: Duration = Patience.deadline, _ what: String = "the condition",
    fileID: String = #fileID, line: Int = #line, _ condition: () -> Bool
) async throws {
    let clock = ContinuousClock()
    let end = clock.now.advanced(by: deadline)
    while !condition() {
        guard clock.now < end else {
            throw ConditionTimeout(description: "\(what) did not hold within \(deadline) (\(fileID):\(line))")
        }
        try await Task.sleep(for: .milliseconds(5))
    }
}
