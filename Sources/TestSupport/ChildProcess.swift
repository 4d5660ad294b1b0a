import CSystem
import Foundation
import Glibc
import Synchronization

/// A child process started with `posix_spawnp`, for every test that runs one.
///
/// Not Foundation's `Process`: it installs a SIGCHLD handler, and with many children exiting
/// while the whole suite ran at once, its own `run()` died on an interrupted system call
/// (`EINTR` inside a `try!`), taking every test with it. Here every wait and read retries
/// `EINTR`, and the exit is collected by polling `waitpid` (no signal handler at all).
public final class ChildProcess: Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        case null
        /// Appended to this file.
        case file(String)
        /// A pipe the test reads with `readAll(_:)` or `readLine(_:)`.
        case pipe
    }

    public let pid: pid_t
    /// The read ends of piped stdout and stderr.
    private let pipes: [Int32: Int32]
    private let exit = Mutex<Int32?>(nil)

    /// Starts `command[0]` (an absolute path, or a name looked up in PATH) with the rest as
    /// arguments; stdin is /dev/null.
    public init(_ command: [String], stdout: Stream = .null, stderr: Stream = .null) throws {
        precondition(!command.isEmpty, "a command needs an executable")
        var parentEnds: [Int32: Int32] = [:]
        var childEnds: [Int32] = []
        defer { childEnds.forEach { _ = Glibc.close($0) } }
        func open(_ stream: Stream, as target: Int32) throws -> Int32 {
            let fd: Int32
            switch stream {
            case .null: fd = Glibc.open("/dev/null", O_RDWR | O_CLOEXEC)
            case .file(let path): fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            case .pipe:
                var ends: [Int32] = [-1, -1]
                guard Glibc.pipe(&ends) == 0 else { throw ChildProcessError.system("pipe", errno) }
                // The child gets its end through dup2; no other child may inherit either.
                ends.forEach { _ = fcntl($0, F_SETFD, FD_CLOEXEC) }
                parentEnds[target] = ends[0]
                fd = ends[1]
            }
            guard fd >= 0 else { throw ChildProcessError.system("open", errno) }
            childEnds.append(fd)
            return fd
        }
        let input = try open(.null, as: 0)
        let output = try open(stdout, as: 1)
        let errors = try open(stderr, as: 2)
        var argv = command.map { strdup($0) }
        defer { argv.forEach { free($0) } }
        argv.append(nil)
        var pid: pid_t = 0
        let error = csystem_spawn(argv, input, output, errors, &pid)
        guard error == 0 else {
            parentEnds.values.forEach { _ = Glibc.close($0) }
            throw ChildProcessError.system("spawn \(command[0])", error)
        }
        self.pid = pid
        pipes = parentEnds
    }

    deinit { pipes.values.forEach { _ = Glibc.close($0) } }

    /// The exit code, or 128 + the signal that ended it; nil while it runs.
    public var exitStatus: Int32? {
        exit.withLock { known in
            if known == nil {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid { known = Self.decode(status) }
            }
            return known
        }
    }

    public var isRunning: Bool { exitStatus == nil }

    public func signal(_ signal: Int32) { if isRunning { _ = kill(pid, signal) } }

    public func terminate() { signal(SIGTERM) }

    /// Waits for the exit without holding a cooperative thread: polls every 10 ms on a thread
    /// of its own (a blocking `waitpid` could race `exitStatus` for the same child).
    @discardableResult
    public func waitForExit() async -> Int32 {
        (try? await ProcessRunner.offPool { [self] in
            while true {
                if let status = exitStatus { return status }
                usleep(10_000)
            }
        }) ?? -1
    }

    /// Everything the child writes to a piped stream until it closes it (usually at exit).
    public func readAll(_ stream: Int32) async throws -> Data {
        let fd = try pipe(stream)
        return try await ProcessRunner.offPool {
            var data = Data()
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(fd, &buffer, buffer.count)
                if count > 0 {
                    data.append(contentsOf: buffer[..<count])
                } else if count == 0 {
                    return data
                } else if errno != EINTR {
                    throw ChildProcessError.system("read", errno)
                }
            }
        }
    }

    /// The first line the child writes to a piped stream (without its newline), or what it
    /// wrote before closing the stream.
    public func readLine(_ stream: Int32) async throws -> String {
        let fd = try pipe(stream)
        return try await ProcessRunner.offPool {
            var line = [UInt8]()
            var byte: UInt8 = 0
            while true {
                let count = read(fd, &byte, 1)
                if count == 1 {
                    if byte == UInt8(ascii: "\n") { break }
                    line.append(byte)
                } else if count == 0 {
                    break
                } else if errno != EINTR {
                    throw ChildProcessError.system("read", errno)
                }
            }
            return String(decoding: line, as: UTF8.self)
        }
    }

    private func pipe(_ stream: Int32) throws -> Int32 {
        guard let fd = pipes[stream] else { throw ChildProcessError.notPiped(stream) }
        return fd
    }

    private static func decode(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

public enum ChildProcessError: Error, CustomStringConvertible {
    case system(String, Int32)
    case notPiped(Int32)

    public var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        case .notPiped(let stream): "stream \(stream) of the child is not a pipe"
        }
    }
}
