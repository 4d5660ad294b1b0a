import Basics
import NetIO
import Synchronization

/// The network between a client and one side of the simulator (the root, or the atServers):
/// what loopback lacks and a real, distant, NATed peer has.
public struct LinkConditions: Sendable, Equatable, CustomStringConvertible {
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

    /// `latency=400ms handshake=800ms nat-idle-drop=30s`, or `loopback`.
    public var description: String {
        guard self != .loopback else { return "loopback" }
        let text = { (duration: Duration) in PrometheusDuration(duration).description }
        var parts = ["latency=\(text(replyLatency))", "handshake=\(text(handshakeLatency))"]
        if let idleDrop { parts.append("nat-idle-drop=\(text(idleDrop))") }
        return parts.joined(separator: " ")
    }

    /// Sleeps `delay` unless it is zero (the common case costs no timer).
    static func wait(_ delay: Duration) async throws {
        if delay > .zero { try await Task.sleep(for: delay) }
    }
}

/// Flows the simulated NAT dropped, the root's and the atServers' together: the event a test
/// waits for, where sleeping past the idle timeout would only make the drop likely.
final class NATDrops: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { count.load(ordering: .relaxed) }
    func add() { count.add(1, ordering: .relaxed) }
}

/// Reads the client's next request bytes; nil when the flow went idle past `idleDrop` (the caller
/// then plays a NAT that dropped it, counted in `drops`). End of stream is an empty array, as
/// `read`. Callers pass nil until their first reply: the NAT's timer runs from the last reply,
/// not from the handshake.
func readRequestBytes(_ tls: TLSConnection, maxBytes: Int, idleDrop: Duration?, drops: NATDrops) async throws
    -> [UInt8]?
{
    do {
        return try await tls.read(maxBytes: maxBytes, deadline: idleDrop.map { .after($0) } ?? .distantFuture)
    } catch NetError.timeout {
        drops.add()
        return nil
    }
}
