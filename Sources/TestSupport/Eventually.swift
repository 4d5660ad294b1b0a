/// A condition that did not come true in time; thrown, so the test fails and says where.
public struct ConditionTimeout: Error, CustomStringConvertible {
    public let description: String
}

/// Waits for `condition` to hold, asking again every `interval` (a few milliseconds, more for a
/// condition that costs an HTTP request), and throws `ConditionTimeout` naming the caller's line
/// when `deadline` passes first; an error the condition throws ends the wait at once. The
/// deadline is generous on purpose: it bounds a broken test, it is not a timing assertion, and
/// a loaded machine is slow.
public func eventually(
    deadline: Duration = Patience.deadline, every interval: Duration = .milliseconds(5),
    _ what: String = "the condition", fileID: String = #fileID, line: Int = #line,
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let end = clock.now.advanced(by: deadline)
    while try await !condition() {
        guard clock.now < end else {
            throw ConditionTimeout(description: "\(what) did not hold within \(deadline) (\(fileID):\(line))")
        }
        try await Task.sleep(for: interval)
    }
}
