import NetIO
import Synchronization

/// How the root pool behaves. The defaults fit a distant root (400 ms a round trip) behind NAT.
public struct RootPoolSettings: Sendable, Equatable {
    /// Root connections open at once at most, so root lookups in flight at most:
    /// `--root.max-connections`. The pool opens connections as lookups need them, up to this.
    public var maxConnections: Int
    /// A pooled connection unused this long is closed (with `@exit`) instead of reused. Longer
    /// than the default 60 s probe interval, so a steady fleet reuses its connections from round
    /// to round, while a burst's extra connections go away once the demand does.
    public var idleLimit: Duration
    /// The longest a chain of resumed TLS sessions may go without a full handshake: resuming
    /// skips the certificate check, so without this a root whose certificate expired would stay
    /// "up" for as long as each connection resumes the last one's ticket.
    public var fullHandshakeEvery: Duration
    /// Keepalive on every root socket: it keeps a NAT's mapping of an idle pooled flow alive and
    /// fails a dead one before a lookup has to find out.
    public var keepAlive: TCPKeepAlive?

    /// As many as `--probe.concurrency`'s default, so with the defaults no probe queues for a root
    /// connection: 10,000 atSigns a 60 s round start within its first 30 s, 333 lookups a second,
    /// which at 400 ms a lookup keep about 134 connections busy.
    public static let defaultMaxConnections = 256

    public init(
        maxConnections: Int = defaultMaxConnections, idleLimit: Duration = .seconds(90),
        fullHandshakeEvery: Duration = .seconds(300),
        keepAlive: TCPKeepAlive? = TCPKeepAlive(idle: .seconds(15), interval: .seconds(5), probes: 3)
    ) {
        self.maxConnections = max(1, maxConnections)
        self.idleLimit = idleLimit
        self.fullHandshakeEvery = fullHandshakeEvery
        self.keepAlive = keepAlive
    }
}

/// The idle root connections, each with the time it was last given back. The newest is taken
/// first, so the oldest idle ones age out when demand falls.
final class IdleRootConnections: Sendable {
    private let entries = Mutex<[(connection: ProtocolConnection, since: Deadline)]>([])

    var count: Int { entries.withLock { $0.count } }

    /// The most recently used connection still within `idleLimit`, and the expired ones, which
    /// the caller retires.
    func take(now: Deadline, idleLimit: Duration) -> (ProtocolConnection?, expired: [ProtocolConnection]) {
        entries.withLock { pool in
            let expired = Self.removeExpired(&pool, now: now, idleLimit: idleLimit)
            return (pool.popLast()?.connection, expired)
        }
    }

    func put(_ connection: ProtocolConnection, now: Deadline) {
        entries.withLock { $0.append((connection, now)) }
    }

    func removeExpired(now: Deadline, idleLimit: Duration) -> [ProtocolConnection] {
        entries.withLock { Self.removeExpired(&$0, now: now, idleLimit: idleLimit) }
    }

    func removeAll() -> [ProtocolConnection] {
        entries.withLock { pool in
            defer { pool.removeAll() }
            return pool.map(\.connection)
        }
    }

    /// Entries are in the order they were given back, so the expired ones are a prefix.
    private static func removeExpired(
        _ pool: inout [(connection: ProtocolConnection, since: Deadline)], now: Deadline, idleLimit: Duration
    ) -> [ProtocolConnection] {
        let cutoff = now.subtracting(idleLimit)
        let count = pool.prefix { $0.since < cutoff }.count
        defer { pool.removeFirst(count) }
        return pool.prefix(count).map(\.connection)
    }
}

/// The root's latest session ticket, and when the chain of resumptions it comes from last had a
/// full, verified handshake.
final class RootTicket: Sendable {
    private let state = Mutex<(session: TLSSession, verifiedAt: Deadline)?>(nil)

    /// The ticket to offer and its chain's verification time; nil when there is none or the
    /// chain is older than `maxAge`, so that the next handshake is full and checks the certificate.
    func offer(now: Deadline, maxAge: Duration) -> (session: TLSSession, verifiedAt: Deadline)? {
        state.withLock { current in
            guard let current, current.verifiedAt >= now.subtracting(maxAge) else { return nil }
            return current
        }
    }

    func store(_ session: TLSSession, verifiedAt: Deadline) {
        state.withLock { $0 = (session, verifiedAt) }
    }
}

/// A moving average of a duration in seconds (each new sample weighs a fifth).
final class RecentDuration: Sendable {
    private let average = Mutex<Double>(0)

    var seconds: Double { average.withLock { $0 } }

    func record(_ sample: Double) {
        average.withLock { $0 = $0 == 0 ? sample : $0 * 0.8 + sample * 0.2 }
    }
}
