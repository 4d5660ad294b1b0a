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

/// The outcome of one status check: the Dart `AtStatus` object.
public struct AtStatus: Sendable, Hashable {
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
