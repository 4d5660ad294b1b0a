import Foundation
import Synchronization

/// Runs a child process without blocking the Swift cooperative pool.
///
/// The pool has one thread per core (two here) and the test runner shares it between every
/// test running in parallel: a `waitUntilExit()` or `readDataToEndOfFile()` on it stalls
/// every other test's I/O, and deadline-bound tests then fail for no reason of their own.
/// So the blocking part runs on a thread of its own and the caller awaits it.
public enum ProcessRunner {
    public struct Output: Sendable {
        /// The exit code, or 128 + the signal that ended the process.
        public let status: Int32
        public let stdout: String
        public let stderr: String

        /// stdout and stderr together, for tools that print either.
        public var combined: String { stdout + stderr }
    }

    public struct Timeout: Error, CustomStringConvertible {
        public let command: String
        public var description: String { "\(command) did not finish in time and was killed" }
    }

    /// Runs `executable` (an absolute path, or a name looked up in PATH) to completion; kills it
    /// after `timeout`.
    public static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(60))
        async throws -> Output
    {
        let child = try ChildProcess([executable] + arguments, stdout: .pipe, stderr: .pipe)
        let killed = Counter()
        let killer = Task {
            try await Task.sleep(for: timeout)
            killed.add()
            child.signal(SIGKILL)
        }
        // Both streams are drained at once, so a chatty child cannot fill one pipe and hang.
        async let stdout = child.readAll(1)
        async let stderr = child.readAll(2)
        let (out, err) = try await (stdout, stderr)
        let status = await child.waitForExit()
        killer.cancel()
        if killed.value > 0 { throw Timeout(command: ([executable] + arguments).joined(separator: " ")) }
        return Output(
            status: status, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    /// Runs `work` on a fresh thread and returns its result to the awaiting task.
    public static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.start()
        }
    }
}
