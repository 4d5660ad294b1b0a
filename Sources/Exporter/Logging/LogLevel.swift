/// How much to log; a message is written when its level is at least the logger's.
public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    case debug, info, warn, error

    var rank: Int {
        switch self {
        case .debug: return 0
        case .info: return 1
        case .warn: return 2
        case .error: return 3
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }
}

/// The line format: logfmt as Prometheus components write by default, or one JSON object a line.
public enum LogFormat: String, Sendable, CaseIterable {
    case logfmt, json
}
