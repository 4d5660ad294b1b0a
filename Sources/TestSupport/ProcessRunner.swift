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
    public static func run(
        _ executable: String, _ arguments: [String], input: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> Output {
        try await offPool {
            try runBlocking(executable, arguments, input: input, timeout: timeout)
        }
    }

    /// Runs `work` on a fresh thread and returns its result to the awaiting task.
    public static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.start()
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], input: String?, timeout: Duration)
        throws -> Output
    {
        let command = executable.hasPrefix("/") ? [executable] + arguments : ["/usr/bin/env", executable] + arguments
        let out = Pipe()
        let err = Pipe()
        let inputPipe = Pipe()
        // ChildProcess, not Foundation's Process, whose run() crashes now and then (see ChildProcess).
        let process = try ChildProcess(
            command[0], Array(command.dropFirst()),
            stdin: input == nil ? .null : .descriptor(inputPipe.fileHandleForReading.fileDescriptor),
            stdout: .descriptor(out.fileHandleForWriting.fileDescriptor),
            stderr: .descriptor(err.fileHandleForWriting.fileDescriptor))
        // The child has its copies; ours would keep the pipes open and the reads below from ending.
        try? out.fileHandleForWriting.close()
        try? err.fileHandleForWriting.close()
        try? inputPipe.fileHandleForReading.close()
        if let input {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
        }
        try? inputPipe.fileHandleForWriting.close()
        let timedOut = Mutex(false)
        let killer = DispatchWorkItem {
            timedOut.withLock { $0 = true }
            process.terminate()
        }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: killer)
        // stderr is drained on another thread so a chatty child cannot fill its pipe and hang.
        let errors = ErrorCollector()
        let reader = Thread { errors.data = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errors.wait()
        killer.cancel()
        if timedOut.withLock({ $0 }) {
            throw Timeout(command: ([executable] + arguments).joined(separator: " "))
        }
        return Output(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: errors.data, as: UTF8.self))
    }
}

/// The stderr bytes, handed from the reader thread once it is done.
private final class ErrorCollector: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    var data = Data() {
        didSet { done.signal() }
    }

    func wait() { done.wait() }
}
