import Basics

/// How one simulated atSign behaves, as seen from the root lookup and its atServer.
public enum Scenario: Sendable, Hashable, CustomStringConvertible {
    /// `publickey@x` listed, lookup has a value.
    case activated
    /// `publickey@x` listed, lookup is `data:null`.
    case ready
    /// `scan` answers `data:[]`.
    case teapot
    /// The root answers `null`; there is no atServer.
    case notFound
    /// The root answers a port on which nothing listens: connect is refused.
    case stopped
    /// TLS completes, then the atServer never sends a byte.
    case hung
    /// The atServer sends bytes that are not framed replies instead of its prompt, then closes.
    case garbage
    /// After the first command, sends bytes that are not a reply (no `\n@`), then closes cleanly.
    case garbageThenClose
    /// `scan` answers `error:AT0003-Server error`.
    case errorReply
    /// Every reply waits `delay` first.
    case slow(Duration)
    /// Served with a certificate naming only `wrong.example`.
    case wrongHost
    /// Served with a certificate that expired yesterday.
    case expired
    /// `scan` answers a 50 MB reply.
    case huge
    /// The atServer starts the `scan` reply, then drops the connection without closing TLS.
    case reset
    /// `scan` answers a reply holding bytes that are not UTF-8.
    case invalidUTF8

    /// The delay of a bare `slow` with no `:duration`.
    public static let defaultSlowDelay = Duration.seconds(2)

    /// The names accepted in scenario files and `--mix`, one per case.
    public static let names = [
        "activated", "ready", "teapot", "notFound", "stopped", "hung", "garbage", "garbageThenClose", "errorReply",
        "slow", "wrongHost", "expired", "huge", "reset", "invalidUTF8",
    ]

    /// Parses `activated`, `notFound` (any case), `slow` or `slow:500ms`.
    public init(name: String) throws(ScenarioError) {
        let parts = name.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let base = parts[0].lowercased()
        if base == "slow" {
            guard parts.count == 2 else {
                self = .slow(Self.defaultSlowDelay)
                return
            }
            guard let delay = try? PrometheusDuration(parsing: String(parts[1])).duration else {
                throw .badDuration(scenario: name, value: String(parts[1]))
            }
            self = .slow(delay)
            return
        }
        guard parts.count == 1, let plain = Self.plain[base] else { throw .unknownScenario(name) }
        self = plain
    }

    private static let plain: [String: Scenario] = [
        "activated": .activated, "ready": .ready, "teapot": .teapot, "notfound": .notFound, "stopped": .stopped,
        "hung": .hung, "garbage": .garbage, "garbagethenclose": .garbageThenClose, "errorreply": .errorReply,
        "wronghost": .wrongHost, "expired": .expired, "huge": .huge, "reset": .reset, "invalidutf8": .invalidUTF8,
    ]

    public var description: String {
        switch self {
        case .activated: "activated"
        case .ready: "ready"
        case .teapot: "teapot"
        case .notFound: "notFound"
        case .stopped: "stopped"
        case .hung: "hung"
        case .garbage: "garbage"
        case .garbageThenClose: "garbageThenClose"
        case .errorReply: "errorReply"
        case .slow(let delay): "slow:\(delay.prometheusDescription)"
        case .wrongHost: "wrongHost"
        case .expired: "expired"
        case .huge: "huge"
        case .reset: "reset"
        case .invalidUTF8: "invalidUTF8"
        }
    }
}

/// How the simulated root behaves for every connection.
public enum RootMode: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Answers lookups as the real root does, rate limit on misses included.
    case normal
    /// Not listening: connect is refused.
    case down
    /// Accepts and completes TLS, then never sends a byte.
    case hung
    /// Sends the prompt, then answers every lookup with a line that is not an address.
    case garbage
    /// Sends a "stop in progress" text line instead of the prompt and closes.
    case stopping
    /// Sends a line that is neither the prompt nor the stop text, and closes.
    case badGreeting = "bad-greeting"

    /// Parses a mode name, naming the known ones when it is wrong.
    public init(name: String) throws(ScenarioError) {
        guard let mode = RootMode(rawValue: name.lowercased()) else { throw .unknownRootMode(name) }
        self = mode
    }

    public var description: String { rawValue }
}

/// A scenario name, a duration or a root mode that cannot be understood.
public enum ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownScenario(String)
    case badDuration(scenario: String, value: String)
    case unknownRootMode(String)

    public var description: String {
        switch self {
        case .unknownScenario(let name):
            "unknown scenario \"\(name)\" (known: \(Scenario.names.joined(separator: ", ")))"
        case .badDuration(let scenario, let value):
            "scenario \"\(scenario)\": \"\(value)\" is not a duration such as 500ms, 2s or 1m"
        case .unknownRootMode(let name):
            "unknown root mode \"\(name)\" (known: \(RootMode.allCases.map(\.rawValue).joined(separator: ", ")))"
        }
    }
}
