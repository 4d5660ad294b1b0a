import Glibc
import Synchronization

/// A child process started with `posix_spawn`, for tests.
///
/// Why not Foundation's `Process`: on Linux its `run()` lists `/proc/self/fd` with a 256-byte
/// over-read of each entry (swift-corelibs-foundation #5472, unfixed in Swift 6.3.1) and now and
/// then crashes the whole test process with a bad pointer dereference once it holds many
/// sockets, as the uncapped suite does. Here the child closes every descriptor above 2 itself
/// (`posix_spawn_file_actions_addclosefrom_np`), so no other test's pipe or socket leaks into it.
public final class ChildProcess: Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream: Sendable {
        case null
        /// A descriptor of ours, duplicated onto the child's stream; the caller still owns it.
        case descriptor(Int32)
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String
    }

    public let processIdentifier: pid_t
    /// The raw `waitpid` status once the child has been reaped.
    private let reaped = Mutex<Int32?>(nil)

    /// Starts `executable` (an absolute path) with `arguments` and this process's environment.
    public init(
        _ executable: String, _ arguments: [String], stdin: Stream = .null, stdout: Stream = .null,
        stderr: Stream = .null
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (stream, target) in [(stdin, STDIN_FILENO), (stdout, STDOUT_FILENO), (stderr, STDERR_FILENO)] {
            switch stream {
            case .null:
                let mode = target == STDIN_FILENO ? O_RDONLY : O_WRONLY
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", mode, 0)
            case .descriptor(let fd): posix_spawn_file_actions_adddup2(&actions, fd, target)
            }
        }
        guard let closeFrom = Self.addCloseFrom else {
            throw SpawnError(description: "posix_spawn_file_actions_addclosefrom_np is missing (glibc < 2.34)")
        }
        _ = closeFrom(&actions, 3)
        // The spawning thread may be a Dispatch or pool thread with signals blocked, and blocked
        // or ignored signals are inherited: the child starts with none blocked, all at default,
        // so terminate() ends it. Its own process group, as Foundation's Process gives it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        var all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard code == 0 else {
            throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(code)))")
        }
        processIdentifier = pid
    }

    /// Whether the child has not exited yet; reaps it when it has.
    public var isRunning: Bool { reap(blocking: false) == nil }

    /// Blocks the calling thread until the child exits (call it off the cooperative pool).
    public func waitUntilExit() { _ = reap(blocking: true) }

    /// The exit status, or 128 + the signal that ended it; -1 while it runs.
    public var terminationStatus: Int32 {
        guard let status = reap(blocking: false) else { return -1 }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// SIGTERM, unless it was already reaped (its pid may then be another process's).
    public func terminate() { send(SIGTERM) }

    public func send(_ signal: Int32) {
        reaped.withLock { status in if status == nil { _ = kill(processIdentifier, signal) } }
    }

    private func reap(blocking: Bool) -> Int32? {
        if let status = reaped.withLock({ $0 }) { return status }
        var status: Int32 = 0
        var result: pid_t
        repeat {
            result = waitpid(processIdentifier, &status, blocking ? 0 : WNOHANG)
        } while result == -1 && errno == EINTR
        if result == processIdentifier {
            reaped.withLock { $0 = status }
            return status
        }
        guard result == -1 && errno == ECHILD else { return nil }
        // Another thread reaped it and is about to record its status.
        while true {
            if let status = reaped.withLock({ $0 }) { return status }
            sched_yield()
        }
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// glibc has it since 2.34, but Swift's Glibc module does not declare it.
    private static let addCloseFrom: AddCloseFrom? = dlsym(
        UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np"
    ).map { unsafeBitCast($0, to: AddCloseFrom.self) }
}
