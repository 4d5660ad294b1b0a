import NetIO

/// The network between a client and one side of the simulator (the root, or the atServers):
/// what loopback lacks and a real, distant, NATed peer has.
public struct LinkConditions: Sendable, Equatable {
    /// Waited before every reply to a request (a root answer, an atServer `data:` line): one
    /// round trip of a distant peer. The prompt after the handshake is not delayed by it.
    public var replyLatency: Duration
    /// Waited before the TLS handshake starts: stands for the TCP and TLS round trips of a new
    /// connection (about two round trips with TLS 1.3).
    public var handshakeLatency: Duration
    /// A NAT in between that forgets idle flows: once a connection has been idle this long after
    /// a reply, the simulator stops answering it without closing it (no FIN, no RST), so the
    /// client's next request only times out. Nil: flows never expire.
    public var idleDrop: Duration?

    public init(replyLatency: Duration = .zero, handshakeLatency: Duration = .zero, idleDrop: Duration? = nil) {
        self.replyLatency = replyLatency
        self.handshakeLatency = handshakeLatency
        self.idleDrop = idleDrop
    }

    /// Loopback as it is: no latency, no NAT.
    public static let loopback = LinkConditions()

    /// The deadline of a read that waits for the client's next request.
    var idleDeadline: Deadline { idleDrop.map { .after($0) } ?? .distantFuture }

    /// Sleeps `delay` unless it is zero (the common case costs no timer).
    static func wait(_ delay: Duration) async throws {
        if delay > .zero { try await Task.sleep(for: delay) }
    }
}

/// Reads the client's next request bytes; nil when the flow went idle past `conditions.idleDrop`
/// (the caller then plays a NAT that dropped it). End of stream is an empty array, as `read`.
func readRequestBytes(_ tls: TLSConnection, maxBytes: Int, conditions: LinkConditions) async throws -> [UInt8]? {
    do {
        return try await tls.read(maxBytes: maxBytes, deadline: conditions.idleDeadline)
    } catch NetError.timeout {
        return nil
    }
}
