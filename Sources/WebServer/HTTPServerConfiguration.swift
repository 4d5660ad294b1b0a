import Basics
import NetIO

/// How an `HTTPServer` listens and how long it waits. The defaults suit a Prometheus exporter.
public struct HTTPServerConfiguration: Sendable {
    /// `host:port`, `:port` (every interface), `[v6]:port`; port 0 picks a free port.
    public var listenAddresses: [String] = [":9713"]
    /// Sockets already bound and listening (systemd socket activation); when any are given,
    /// the server accepts on these and `listenAddresses` is not used.
    public var listenDescriptors: [Int32] = []
    /// Serves HTTPS when set; each accepted connection handshakes within `requestHeadTimeout`.
    public var tls: TLSContext?
    /// Open connections at most; the next one gets 503 and is closed.
    public var maxConnections = 512
    /// From accept (or a request's first byte) to the end of its head and body: a client that
    /// trickles bytes cannot hold a connection slot for long.
    public var requestHeadTimeout: Duration = .seconds(10)
    /// How long a kept-alive connection may sit between requests.
    public var idleTimeout: Duration = .seconds(120)
    /// Writing one response.
    public var writeTimeout: Duration = .seconds(30)
    /// How long `shutdown()` lets in-flight requests finish before closing their connections.
    public var shutdownGracePeriod: Duration = .seconds(2)
    public var limits = HTTPLimits()
    /// Basic auth: when set, every request needs credentials it accepts, else 401.
    public var authenticate: Authenticator?
    /// When set, each new connection takes its TLS context and basic-auth users from it (read
    /// again when the files change) instead of from `tls` and `authenticate`.
    public var webConfig: WebConfigReloader?
    /// Called after each answer, including parser errors.
    public var accessLog: (@Sendable (AccessLogEntry) -> Void)?
    /// Adds a `Date` header to every answer.
    public var sendsDate = true
    /// Where the accept loops and connection tasks run; nil runs them on Swift's cooperative
    /// pool. A `ThreadExecutor` keeps answers prompt while the pool is busy with other work
    /// (an exporter's TLS probes); handlers' awaits on other isolation still hop as usual.
    public var executor: (any TaskExecutor)?

    public init(listenAddresses: [String] = [":9713"]) {
        self.listenAddresses = listenAddresses
    }
}

/// One answered request, for the access log.
public struct AccessLogEntry: Sendable, Equatable {
    public var remoteAddress: String
    /// Empty when the request could not be parsed.
    public var method: String
    public var target: String
    public var status: Int
    /// Body bytes sent (0 for HEAD).
    public var bodyBytes: Int
    public var durationSeconds: Double
    public var userAgent: String
}

/// A parsed `--web.listen-address`.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// Empty for every interface; IPv6 without brackets.
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `:port` or `[v6]:port`; the error names the address at fault.
    public init(parsing text: String) throws(HTTPServerError) {
        do {
            let (host, port) = try HostPort.split(text, ports: 0...65535)
            self.init(host: host, port: port)
        } catch {
            throw HTTPServerError.invalidListenAddress(text, error.why)
        }
    }

    public var description: String { HostPort.format(host: host, port: port) }
}

public enum HTTPServerError: Error, Equatable, CustomStringConvertible {
    case invalidListenAddress(String, String)
    case listen(address: String, message: String)
    case alreadyStarted

    public var description: String {
        switch self {
        case .invalidListenAddress(let address, let why): "invalid listen address \"\(address)\": \(why)"
        case .listen(let address, let message): "cannot listen on \(address): \(message)"
        case .alreadyStarted: "the server was already started"
        }
    }
}
