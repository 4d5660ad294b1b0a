import NetIO

/// What the root said about an atSign (PROTOCOL.md §4). Spelling follows the Dart library.
public enum RootStatus: String, Sendable, CaseIterable {
    case found, notFound, stopped, unavailable, error
}

/// What the atServer said (PROTOCOL.md §4); `unavailable` when it was not probed.
public enum ServerStatus: String, Sendable, CaseIterable {
    case ready, teapot, activated, stopped, unavailable, error
}

/// The overall status of an atSign: `status()` in the Dart library, never empty.
public enum AtSignStatus: String, Sendable, CaseIterable {
    case notFound, teapot, activated, unavailable, error
}

/// The statuses one check found: the Dart library's `AtStatus` object (renamed here so that it
/// does not shadow this module).
public struct ProbeStatus: Sendable, Hashable {
    public var atSign: AtSign
    public var serverLocation: String?
    public var rootStatus: RootStatus
    public var serverStatus: ServerStatus

    public init(atSign: AtSign, serverLocation: String? = nil, rootStatus: RootStatus, serverStatus: ServerStatus) {
        self.atSign = atSign
        self.serverLocation = serverLocation
        self.rootStatus = rootStatus
        self.serverStatus = serverStatus
    }

    /// The overall status (PROTOCOL.md §4, third table).
    public func status() -> AtSignStatus {
        switch rootStatus {
        case .notFound: return .notFound
        case .stopped, .unavailable: return .unavailable
        case .error: return .error
        case .found:
            switch serverStatus {
            case .activated: return .activated
            case .ready, .teapot: return .teapot
            case .stopped, .unavailable: return .unavailable
            case .error: return .error
            }
        }
    }

    /// The seed's HTTP status code (PROTOCOL.md §4, fourth table).
    public func httpStatus() -> Int {
        switch rootStatus {
        case .notFound: return 404
        case .stopped, .unavailable, .error: return 502
        case .found:
            switch serverStatus {
            case .activated: return 200
            case .ready, .teapot: return 418
            case .stopped, .unavailable: return 503
            case .error: return 500
            }
        }
    }
}

// MARK: - How what the peers did becomes a status (PROTOCOL.md §4, first two tables)
//
// Every rule that turns a failure or an answer into a `RootStatus` or `ServerStatus` is here;
// `RootDirectory`, `AtServerClient` and `StatusChecker` ask these instead of deciding.

extension RootStatus {
    /// The root lookup failed on the network: refused is `stopped`; bytes that break the framing
    /// (the root answered wrongly) are `error`; DNS, timeout, TLS, reset or a close before any
    /// reply are `unavailable`.
    public init(failure: NetError) {
        self = failure.isRefusal ? .stopped : failure.isProtocolFault ? .error : .unavailable
    }

    /// The root's greeting was not `@`: its stop text is `stopped`, anything else `error`.
    public init(greeting text: String) {
        self = text.lowercased().contains("stop in progress") ? .stopped : .error
    }
}

extension ServerStatus {
    /// The atServer check failed on the network: the same rule as the root's
    /// (`RootStatus.init(failure:)`).
    public init(failure: NetError) {
        self = failure.isRefusal ? .stopped : failure.isProtocolFault ? .error : .unavailable
    }

    /// What `scan` and `lookup:publickey@…` said: not listed is `teapot`; listed with a `null`
    /// value `ready`; listed with a value `activated`.
    public init(listed: Bool, valueIsNull: Bool) {
        self = !listed ? .teapot : valueIsNull ? .ready : .activated
    }

    /// An `error:` reply, a reply that is not `data:`, or a location outside
    /// `--probe.allowed-domains` (refused without connecting).
    public static let answeredWrongly = ServerStatus.error
}

extension NetError {
    /// The peer refused the TCP connection: it runs, but does not serve.
    var isRefusal: Bool {
        if case .connectionRefused = self { return true }
        return false
    }

    /// Faults of the peer's protocol, not of the network: they make the status `error`.
    var isProtocolFault: Bool {
        switch self {
        case .tooLarge, .protocolViolation: true
        default: false
        }
    }
}
