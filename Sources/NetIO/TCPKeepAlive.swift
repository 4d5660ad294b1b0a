import COpenSSL
import CSystem
import Glibc

/// TCP keepalive for a connection that stays open while idle (a pooled root connection): the
/// kernel probes the peer after `idle` of silence, every `interval`, and fails the socket after
/// `probes` unanswered ones. The probes also keep a NAT's mapping of the flow alive.
public struct TCPKeepAlive: Sendable, Equatable {
    public var idle: Duration
    public var interval: Duration
    public var probes: Int

    public init(idle: Duration, interval: Duration, probes: Int) {
        self.idle = idle
        self.interval = interval
        self.probes = probes
    }
}

extension TCPConnection {
    /// Turns keepalive on with these settings (whole seconds, at least 1).
    public func enableKeepAlive(_ settings: TCPKeepAlive) throws(NetError) {
        func seconds(_ duration: Duration) -> Int32 { Int32(clamping: max(1, duration.components.seconds)) }
        let rc = csystem_set_keepalive(
            fd, seconds(settings.idle), seconds(settings.interval), Int32(clamping: max(1, settings.probes)))
        if rc != 0 { throw .system(operation: "setsockopt SO_KEEPALIVE", errno: errno) }
    }

    /// The socket's keepalive settings, nil when keepalive is off.
    public var keepAlive: TCPKeepAlive? { TCPKeepAlive(of: fd) }
}

extension TLSConnection {
    /// The keepalive settings of the socket under this TLS stream, nil when keepalive is off.
    public var keepAlive: TCPKeepAlive? {
        TCPKeepAlive(of: withSSL { SSL_get_fd($0) })
    }
}

extension TCPKeepAlive {
    /// Reads a socket's settings; nil when keepalive is off or `fd` is not a socket.
    fileprivate init?(of fd: Int32) {
        var idle: Int32 = 0
        var interval: Int32 = 0
        var probes: Int32 = 0
        guard fd >= 0, csystem_get_keepalive(fd, &idle, &interval, &probes) == 1 else { return nil }
        self.init(idle: .seconds(idle), interval: .seconds(interval), probes: Int(probes))
    }
}
