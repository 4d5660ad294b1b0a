import AtStatus
import Basics
import WebServer

/// Flag-level parsing for the address types the server and the status core define, with the
/// stricter rules a person typing a flag deserves (IPv6 in brackets, named errors).
extension ListenAddress {
    /// `host:port`, `:port` (every interface) or `[::1]:port`; port 0 asks for a free port (tests).
    static func parsingFlag(_ text: String) throws(ValueProblemError) -> ListenAddress {
        let (host, port) = try split(text, what: "invalid listen address \"\(text)\"", ports: 0...65535)
        return ListenAddress(host: host, port: port)
    }
}

extension RootAddress {
    /// `host:port`, or `proxy:host:port` for an atServer proxy that serves every atSign (PROTOCOL.md §5).
    static func parsingFlag(_ text: String) throws(ValueProblemError) -> RootAddress {
        let what = "invalid root address \"\(text)\""
        let isProxy = text.hasPrefix("proxy:")
        let rest = isProxy ? String(text.dropFirst("proxy:".count)) : text
        let (host, port) = try split(rest, what: what, ports: 1...65535)
        guard !host.isEmpty else {
            throw ValueProblemError(what: what, why: "the host is missing (write host:port or proxy:host:port)")
        }
        let address = ServerAddress(host: host, port: port)
        return isProxy ? .proxy(address) : .directory(address)
    }
}

/// A value that does not parse, public so address types can be built outside the loader.
public struct ValueProblemError: Error, Sendable, Equatable, CustomStringConvertible {
    public let what: String
    public let why: String

    public init(what: String, why: String) {
        self.what = what
        self.why = why
    }

    public var description: String { "\(what): \(why)" }
}

/// `HostPort.split` with the problem phrased for a flag.
private func split(_ text: String, what: String, ports: ClosedRange<Int>) throws(ValueProblemError) -> (String, Int) {
    do {
        return try HostPort.split(text, ports: ports)
    } catch {
        throw ValueProblemError(what: what, why: error.why)
    }
}
