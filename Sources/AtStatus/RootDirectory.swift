import NetIO
import Synchronization

/// What one root lookup learned.
public struct RootLookup: Sendable {
    public var status: RootStatus
    public var location: ServerAddress?
    public var failure: ProbeFailure?
    public var phaseSeconds: [ProbePhase: Double] = [:]
    public var certificateNotAfter: Double?

    init(status: RootStatus, location: ServerAddress? = nil, failure: ProbeFailure? = nil) {
        self.status = status
        self.location = location
        self.failure = failure
    }
}

/// The atRoot client. It keeps a small pool of open TLS sessions and reuses them across lookups
/// (the Dart library opens two fresh connections per check), retires a session after a `null`
/// (the root slows down repeated misses on one connection) and replaces a broken one unseen.
public final class RootDirectory: Sendable {
    public let address: ServerAddress
    private let connector: TimedConnector
    private let idle = Mutex<[ProtocolConnection]>([])
    private let maxIdle: Int
    private let connectionLimit: AsyncSemaphore
    private let handshakeCount = Atomic<Int>(0)
    private let resumedCount = Atomic<Int>(0)
    /// The root's latest session ticket: a new pooled session resumes it (no certificate
    /// exchange or verification), which is most of what a fresh root connection costs.
    private let session = Mutex<TLSSession?>(nil)
    private let certificateNotAfter = Mutex<Double?>(nil)

    public init(address: ServerAddress, context: TLSContext, maxConnections: Int = 16) {
        self.address = address
        connector = TimedConnector(context: context)
        maxIdle = maxConnections
        connectionLimit = AsyncSemaphore(permits: maxConnections)
    }

    /// TLS handshakes made with the root so far: the pooling figure.
    public var handshakes: Int { handshakeCount.load(ordering: .relaxed) }

    /// Of those, the ones that resumed an earlier session.
    public var resumedHandshakes: Int { resumedCount.load(ordering: .relaxed) }

    /// The root certificate's `notAfter`, once a handshake has happened.
    public var rootCertificateNotAfter: Double? { certificateNotAfter.withLock { $0 } }

    public func lookup(_ atSign: AtSign, deadline: Deadline) async -> RootLookup {
        do {
            try await connectionLimit.acquire(deadline: deadline)
        } catch {
            return failed(.unavailable, .timeout, .rootConnect, "no free root connection before the deadline")
        }
        defer { connectionLimit.release() }
        var result = await attempt(atSign, deadline: deadline, fromPool: true)
        result.certificateNotAfter = rootCertificateNotAfter
        return result
    }

    /// Opens a session to check the root answers with its prompt; the session then joins the
    /// pool. Lets the exporter report the root's health even when it has no atSigns to look up.
    public func ping(deadline: Deadline) async -> RootLookup {
        var phases: [ProbePhase: Double] = [:]
        switch await open(deadline: deadline, phases: &phases) {
        case .opened(let connection):
            giveBack(connection)
            var lookup = RootLookup(status: .found)
            lookup.phaseSeconds = phases
            lookup.certificateNotAfter = rootCertificateNotAfter
            return lookup
        case .failed(var failure):
            failure.certificateNotAfter = rootCertificateNotAfter
            return failure
        }
    }

    /// `fromPool: false` skips the pool: after one stale session the others are likely stale too
    /// (the root restarted), and a retry must not fail on the next one.
    private func attempt(_ atSign: AtSign, deadline: Deadline, fromPool: Bool) async -> RootLookup {
        var phases: [ProbePhase: Double] = [:]
        let reused = fromPool ? idle.withLock { $0.popLast() } : nil
        let connection: ProtocolConnection
        if let reused {
            connection = reused
        } else {
            switch await open(deadline: deadline, phases: &phases) {
            case .opened(let opened): connection = opened
            case .failed(let failure):
                var lookup = failure
                lookup.phaseSeconds = phases
                return lookup
            }
        }
        let start = Deadline.now
        do {
            let reply = try await connection.request(String(atSign.withoutPrefix), deadline: deadline)
            phases[.rootLookup] = Deadline.now.seconds(since: start)
            var lookup = interpret(reply, connection: connection)
            lookup.phaseSeconds = phases
            return lookup
        } catch {
            await connection.stream.close()
            let netError = error as? NetError ?? .reset
            // A pooled session the root closed meanwhile: replace it with a fresh one, unseen.
            if reused != nil && (netError == .reset || netError == .closed) && !deadline.hasPassed {
                return await attempt(atSign, deadline: deadline, fromPool: false)
            }
            var lookup = failed(
                netError.isProtocolFault ? .error : .unavailable, FailureReason(netError), .rootLookup,
                "root \(address): \(netError)")
            lookup.phaseSeconds = phases
            lookup.phaseSeconds[.rootLookup] = Deadline.now.seconds(since: start)
            return lookup
        }
    }

    private enum OpenOutcome {
        case opened(ProtocolConnection)
        case failed(RootLookup)
    }

    private func open(deadline: Deadline, phases: inout [ProbePhase: Double]) async -> OpenOutcome {
        switch await connector.open(address, session: session.withLock { $0 }, deadline: deadline) {
        case .failure(.connect(let error)):
            let status: RootStatus = error.isRefusal ? .stopped : .unavailable
            return .failed(failed(status, FailureReason(error), .rootConnect, "root \(address): \(error)"))
        case .failure(.tls(let error, let notAfter)):
            if let notAfter { certificateNotAfter.withLock { $0 = notAfter } }
            return .failed(failed(.unavailable, FailureReason(error), .rootTLS, "root \(address): \(error)"))
        case .success(let connected):
            handshakeCount.add(1, ordering: .relaxed)
            if connected.connection.stream.sessionReused { resumedCount.add(1, ordering: .relaxed) }
            phases[.rootConnect] = connected.connectSeconds
            phases[.rootTLS] = connected.tlsSeconds
            if let notAfter = connected.connection.stream.peerCertificateNotAfter {
                certificateNotAfter.withLock { $0 = notAfter }
            }
            do {
                if case .text(let text) = try await connected.connection.readPrompt(deadline: deadline) {
                    await connected.connection.stream.close()
                    return .failed(failed(.stopped, .protocol, .rootLookup, "root \(address) is stopping: \(text)"))
                }
            } catch {
                await connected.connection.stream.close()
                let netError = error as? NetError ?? .reset
                return .failed(
                    failed(.unavailable, FailureReason(netError), .rootLookup, "root \(address) prompt: \(netError)"))
            }
            if let fresh = connected.connection.stream.resumableSession() { session.withLock { $0 = fresh } }
            return .opened(connected.connection)
        }
    }

    /// `host:port` → found (connection back to the pool); `null` → notFound (connection retired,
    /// the root delays the next miss on it); anything else → error.
    private func interpret(_ reply: [UInt8], connection: ProtocolConnection) -> RootLookup {
        let text = String(decoding: reply, as: UTF8.self).trimmingWhitespace()
        if text == "null" {
            retire(connection)
            return RootLookup(status: .notFound)
        }
        do {
            let location = try ServerAddress(parsing: text)
            giveBack(connection)
            return RootLookup(status: .found, location: location)
        } catch {
            retire(connection)
            return failed(.error, .protocol, .rootLookup, "root \(address) answered \"\(text.debugEscaped)\": \(error)")
        }
    }

    private func giveBack(_ connection: ProtocolConnection) {
        let kept = idle.withLock { pool -> Bool in
            guard pool.count < maxIdle else { return false }
            pool.append(connection)
            return true
        }
        if !kept { retire(connection) }
    }

    private func retire(_ connection: ProtocolConnection) {
        Task { await connection.exit() }
    }

    /// Closes every idle session (shutdown, reload with a new root).
    public func closeIdle() async {
        let connections = idle.withLock { pool in
            defer { pool.removeAll() }
            return pool
        }
        for connection in connections { await connection.exit() }
    }

    private func failed(_ status: RootStatus, _ reason: FailureReason, _ phase: ProbePhase, _ message: String)
        -> RootLookup
    {
        RootLookup(status: status, failure: ProbeFailure(reason: reason, phase: phase, message: message))
    }
}

extension NetError {
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
