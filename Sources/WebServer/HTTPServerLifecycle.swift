/// Where an `HTTPServer` is in its life, as one value instead of flags, so that every question
/// ("may a connection be accepted?", "must this shutdown do the work?") has one answer. The
/// transitions are pure and tested without a socket (`HTTPServerLifecycleTests`).
enum HTTPServerLifecycle: Equatable, Sendable {
    /// Made, not started.
    case idle
    /// Accepting connections and requests.
    case running
    /// `shutdown()` began: no new connection or request; requests in flight may finish.
    case stopping
    /// Every listener and connection is closed.
    case stopped

    /// `start()`: only from `idle`.
    mutating func start() throws(HTTPServerError) {
        guard self == .idle else { throw .alreadyStarted }
        self = .running
    }

    /// What a `shutdown()` call has to do.
    enum ShutdownWork: Equatable {
        /// Close the listeners, drain the connections, then `finishShutdown()`.
        case stop
        /// Another call is stopping the server: wait for the connections to drain.
        case wait
        /// Nothing was ever started, or all is stopped already.
        case none
    }

    mutating func beginShutdown() -> ShutdownWork {
        switch self {
        case .running:
            self = .stopping
            return .stop
        case .stopping: return .wait
        case .idle:
            self = .stopped
            return .none
        case .stopped: return .none
        }
    }

    mutating func finishShutdown() {
        if self == .stopping { self = .stopped }
    }

    /// New connections, and new requests on open ones, are taken only while running.
    var accepts: Bool { self == .running }
}
