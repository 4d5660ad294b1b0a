import Basics
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

/// The atRoot client. It keeps a pool of open TLS sessions and reuses them across lookups (the
/// Dart library opens two fresh connections per check): the pool grows with demand up to
/// `maxConnections`, retires a session after a `null` (the root slows down repeated misses on
/// one connection) and after `idleLimit` unused, and retries once on a fresh session whatever
/// went wrong on a reused one. Waiting for a free connection is the `root_wait` phase, never a
/// root failure.
///
/// Root answers are not cached: each atSign is looked up once a round, so a cache shorter than
/// the interval never hits, and a longer one would hide a moved atServer (and a root outage) for
/// as long as it lasts, while the pool already carries 10,000 lookups a minute to a distant root.
public final class RootDirectory: Sendable {
    public let address: ServerAddress
    public let settings: RootPoolSettings
    let connector: TimedConnector
    let idle = IdleRootConnections()
    private let connectionLimit: AsyncSemaphore
    let handshakeCount = Atomic<Int>(0)
    let resumedCount = Atomic<Int>(0)
    /// A new session resumes the root's latest ticket (no certificate exchange or verification),
    /// which is most of what a fresh root connection costs; `fullHandshakeEvery` bounds the chain.
    let ticket = RootTicket()
    let certificateNotAfter = Mutex<Double?>(nil)
    /// The clock of idle limits and ticket ages; tests move it forward.
    let clock: @Sendable () -> Deadline
    /// How long the root took to answer on pooled sessions lately.
    private let recentLookup = RecentDuration()

    public convenience init(address: ServerAddress, context: TLSContext, settings: RootPoolSettings = .init()) {
        self.init(address: address, context: context, settings: settings, clock: { .now })
    }

    init(
        address: ServerAddress, context: TLSContext, settings: RootPoolSettings,
        clock: @escaping @Sendable () -> Deadline
    ) {
        self.address = address
        self.settings = settings
        self.clock = clock
        connector = TimedConnector(context: context, keepAlive: settings.keepAlive)
        connectionLimit = AsyncSemaphore(permits: settings.maxConnections)
    }

    /// TLS handshakes made with the root so far: the pooling figure.
    public var handshakes: Int { handshakeCount.load(ordering: .relaxed) }

    /// Of those, the ones that resumed an earlier session.
    public var resumedHandshakes: Int { resumedCount.load(ordering: .relaxed) }

    /// Open root connections waiting in the pool for their next lookup.
    public var idleConnections: Int { idle.count }

    /// The root certificate's `notAfter`, once a handshake has happened.
    public var rootCertificateNotAfter: Double? { certificateNotAfter.withLock { $0 } }

    public func lookup(_ atSign: AtSign, deadline: Deadline) async -> RootLookup {
        let queued = Deadline.now
        do {
            try await connectionLimit.acquire(deadline: deadline)
        } catch {
            // Our own queue, not the root: a timeout here never counts against the root's health.
            let why = error as? NetError == .cancelled ? "the probe was cancelled" : "the deadline passed"
            var lookup = failed(
                .unavailable, .timeout, .rootWait,
                "no free root connection (all \(settings.maxConnections) busy) before \(why)")
            lookup.phaseSeconds[.rootWait] = Deadline.now.seconds(since: queued)
            return lookup
        }
        defer { connectionLimit.release() }
        let waited = Deadline.now.seconds(since: queued)
        var result = await attempt(atSign, deadline: deadline)
        result.phaseSeconds[.rootWait] = waited
        result.certificateNotAfter = rootCertificateNotAfter
        // A probe that spent most of its time in our queue and then ran out while the root
        // answered lost its time to us: the root never had a fair chance, so it is not blamed.
        if let failure = result.failure, failure.reason == .timeout, waited > deadline.seconds(since: queued) / 2 {
            result.failure = ProbeFailure(
                reason: .timeout, phase: .rootWait,
                message: "waited \(Int(waited * 1000)) ms for a free root connection, then \(failure.message)")
        }
        return result
    }

    /// Opens a session to check the root answers with its prompt, then closes it with `@exit`:
    /// the root's health once a round, even with no atSigns to look up. It takes no pool slot (a
    /// busy pool must not make the root look down) and leaves nothing in the pool.
    public func ping(deadline: Deadline) async -> RootLookup {
        for expired in idle.removeExpired(now: clock(), idleLimit: settings.idleLimit) {
            await expired.exit(deadline: deadline)
        }
        var phases: [ProbePhase: Double] = [:]
        switch await open(deadline: deadline, phases: &phases) {
        case .opened(let connection):
            await connection.exit(deadline: deadline)
            var lookup = RootLookup(status: .found)
            lookup.phaseSeconds = phases
            lookup.certificateNotAfter = rootCertificateNotAfter
            return lookup
        case .failed(var failure):
            failure.certificateNotAfter = rootCertificateNotAfter
            return failure
        }
    }

    /// A pooled session first, if one is fresh enough. Whatever goes wrong on it (a reset, a
    /// timeout after a NAT silently dropped the flow, a garbled reply), the lookup is asked once
    /// more on a fresh session; the pooled one gets only a share of the time left (`reusedBudget`),
    /// so the retry has the rest.
    private func attempt(_ atSign: AtSign, deadline: Deadline) async -> RootLookup {
        var phases: [ProbePhase: Double] = [:]
        let (reused, expired) = idle.take(now: clock(), idleLimit: settings.idleLimit)
        retire(expired)
        let start = Deadline.now
        if let reused {
            let lookup = await ask(atSign, on: reused, deadline: start.adding(reusedBudget(deadline.remaining)))
            phases[.rootLookup] = Deadline.now.seconds(since: start)
            // No time left for a fresh session: the pooled one's failure is the answer.
            if lookup.failure == nil || deadline.hasPassed { return with(lookup, phases) }
        }
        let connection: ProtocolConnection
        switch await open(deadline: deadline, phases: &phases) {
        case .opened(let opened): connection = opened
        case .failed(let failure): return with(failure, phases)
        }
        let asked = Deadline.now
        let lookup = await ask(atSign, on: connection, deadline: deadline)
        phases[.rootLookup, default: 0] += Deadline.now.seconds(since: asked)
        return with(lookup, phases)
    }

    /// How long a pooled session may take to answer before the retry: four of the root's recent
    /// answer times (a slow root is not a dead session), at least half the time left, at most
    /// three quarters, so a fresh session always has a quarter for its round trips.
    private func reusedBudget(_ remaining: Duration) -> Duration {
        min(remaining * 3 / 4, max(remaining / 2, .seconds(4 * recentLookup.seconds)))
    }

    private func with(_ lookup: RootLookup, _ phases: [ProbePhase: Double]) -> RootLookup {
        var lookup = lookup
        lookup.phaseSeconds.merge(phases) { $1 }
        return lookup
    }

    /// One key on one session; the session goes back to the pool only after a clean answer.
    private func ask(_ atSign: AtSign, on connection: ProtocolConnection, deadline: Deadline) async -> RootLookup {
        do {
            let start = Deadline.now
            let reply = try await connection.request(String(atSign.withoutPrefix), deadline: deadline)
            recentLookup.record(Deadline.now.seconds(since: start))
            return interpret(reply, connection: connection)
        } catch {
            await connection.stream.close(deadline: deadline)
            let netError = error as? NetError ?? .reset
            return failed(
                RootStatus(failure: netError), FailureReason(netError), .rootLookup,
                "root \(address): \(netError)")
        }
    }

    /// `host:port` → found (connection back to the pool); `null` → notFound (connection retired,
    /// the root delays the next miss on it); anything else → error.
    private func interpret(_ reply: [UInt8], connection: ProtocolConnection) -> RootLookup {
        let text = String(decoding: reply, as: UTF8.self).trimmingWhitespace()
        if text == "null" {
            retire([connection])
            return RootLookup(status: .notFound)
        }
        do {
            let location = try ServerAddress(parsing: text)
            idle.put(connection, now: clock())
            return RootLookup(status: .found, location: location)
        } catch {
            retire([connection])
            return failed(.error, .protocol, .rootLookup, "root \(address) answered \"\(text.debugEscaped)\": \(error)")
        }
    }

    private func retire(_ connections: [ProtocolConnection]) {
        for connection in connections { Task { await connection.exit() } }
    }

    /// Closes every idle session with `@exit` (shutdown, reload with a new root).
    public func closeIdle() async {
        for connection in idle.removeAll() { await connection.exit() }
    }

    func failed(_ status: RootStatus, _ reason: FailureReason, _ phase: ProbePhase, _ message: String) -> RootLookup {
        RootLookup(status: status, failure: ProbeFailure(reason: reason, phase: phase, message: message))
    }
}
