import Basics
import Glibc
import Synchronization

/// Where finished lines go (without their newline). Injectable so tests read exact lines.
public struct LogSink: Sendable {
    public let writeLine: @Sendable (String) -> Void

    public init(_ writeLine: @escaping @Sendable (String) -> Void) { self.writeLine = writeLine }

    /// One write(2) per line: the kernel keeps lines of different threads whole (up to PIPE_BUF
    /// on pipes), which buffered `print` would not.
    public static let standardError = fileDescriptor(2)

    public static func fileDescriptor(_ descriptor: Int32) -> LogSink {
        LogSink { line in
            var bytes = Array(line.utf8)
            bytes.append(UInt8(ascii: "\n"))
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}

/// A small structured logger: `ts`, `level`, `msg`, then the fields in the order given, as
/// logfmt or JSON lines. The level can change at runtime (a reload), hence the atomic.
public final class Logger: Sendable {
    public let format: LogFormat
    private let sink: LogSink
    private let clock: @Sendable () -> Double
    private let minimumRank: Atomic<Int>

    /// `clock` gives Unix seconds; tests pass a constant.
    public init(
        level: LogLevel = .info, format: LogFormat = .logfmt, sink: LogSink = .standardError,
        clock: @escaping @Sendable () -> Double = Logger.systemClock
    ) {
        self.format = format
        self.sink = sink
        self.clock = clock
        self.minimumRank = Atomic(level.rank)
    }

    public static let systemClock: @Sendable () -> Double = { WallTime.now() }

    public var level: LogLevel {
        let rank = minimumRank.load(ordering: .relaxed)
        return LogLevel.allCases.first { $0.rank == rank } ?? .info
    }

    public func setLevel(_ level: LogLevel) { minimumRank.store(level.rank, ordering: .relaxed) }

    public func isEnabled(_ level: LogLevel) -> Bool { level.rank >= minimumRank.load(ordering: .relaxed) }

    public func log(_ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, Any> = [:]) {
        guard isEnabled(level) else { return }
        var all: [(key: String, value: LogValue)] = [
            ("ts", .string(WallTime.rfc3339(unixSeconds: clock()))),
            ("level", .string(level.rawValue)),
            ("msg", .string(message)),
        ]
        for (key, value) in fields { all.append((key, LogValue(value))) }
        sink.writeLine(format == .json ? LogLine.json(all) : LogLine.logfmt(all))
    }

    public func debug(_ message: String, _ fields: KeyValuePairs<String, Any> = [:]) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: KeyValuePairs<String, Any> = [:]) { log(.info, message, fields) }
    public func warn(_ message: String, _ fields: KeyValuePairs<String, Any> = [:]) { log(.warn, message, fields) }
    public func error(_ message: String, _ fields: KeyValuePairs<String, Any> = [:]) { log(.error, message, fields) }
}
