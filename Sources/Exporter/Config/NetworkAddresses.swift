import AtStatus
import WebServer

/// Flag-level parsing for the address types the server and the status core define, with the
/// stricter rules a person typing a flag deserves (IPv6 in brackets, named errors).
extension ListenAddress {
    /// `host:port`, `:port` (every interface) or `[::1]:port`; port 0 asks for a free port (tests).
    static func parsingFlag(_ text: String) throws(ValueProblemError) -> ListenAddress {
        let (host, port) = try HostPort.split(text, what: "invalid listen address \"\(text)\"", portRange: 0...65535)
        return ListenAddress(host: host, port: port)
    }
}

extension RootAddress {
    /// `host:port`, or `proxy:host:port` for an atServer proxy that serves every atSign (PROTOCOL.md §5).
    static func parsingFlag(_ text: String) throws(ValueProblemError) -> RootAddress {
        let what = "invalid root address \"\(text)\""
        let isProxy = text.hasPrefix("proxy:")
        let rest = isProxy ? String(text.dropFirst("proxy:".count)) : text
        let (host, port) = try HostPort.split(rest, what: what, portRange: 1...65535)
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

/// `host:port` splitting shared by listen and root addresses, with IPv6 in brackets.
enum HostPort {
    static func split(_ text: String, what: String, portRange: ClosedRange<Int>) throws(ValueProblemError) -> (
        String, Int
    ) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw ValueProblemError(what: what, why: "\"[\" without a closing \"]\"")
            }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            guard after.hasPrefix(":") else {
                throw ValueProblemError(what: what, why: "missing \":port\" after \"]\"")
            }
            portText = after.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw ValueProblemError(what: what, why: "missing \":port\"")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") {
                throw ValueProblemError(what: what, why: "an IPv6 host needs brackets, e.g. [::1]:9713")
            }
        }
        if let bad = host.first(where: { $0.isWhitespace || $0 == "/" || $0 == "[" || $0 == "]" }) {
            throw ValueProblemError(what: what, why: "the host holds a forbidden \"\(bad)\"")
        }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(portText)
        else {
            throw ValueProblemError(what: what, why: "the port \"\(portText)\" is not a number")
        }
        guard portRange.contains(port) else {
            throw ValueProblemError(
                what: what, why: "port \(port) is out of range \(portRange.lowerBound)-\(portRange.upperBound)")
        }
        return (String(host), port)
    }

    static func join(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
