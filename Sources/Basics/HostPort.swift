/// `host:port` text, written once for every address this project reads or prints: listen
/// addresses, the root's address, the addresses the root returns, the simulator's `--listen`.
public enum HostPort {
    /// Why a text is not `host:port`, phrased to follow `invalid … "text": `.
    public struct Problem: Error, Sendable, Equatable {
        public let why: String

        public init(why: String) { self.why = why }
    }

    /// Splits `host:port`, `[v6]:port` or (when `bareIPv6` allows it, as for the root's replies
    /// where PROTOCOL.md §2 splits on the last colon) `::1:port`. The host may be empty (`:port`);
    /// callers that need one say so in their own words.
    public static func split(_ text: String, ports: ClosedRange<Int>, bareIPv6: Bool = false) throws(Problem)
        -> (host: String, port: Int)
    {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw Problem(why: "\"[\" without a closing \"]\"") }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            guard after.hasPrefix(":") else { throw Problem(why: "missing \":port\" after \"]\"") }
            portText = after.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw Problem(why: "missing \":port\"") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") && !bareIPv6 {
                throw Problem(why: "an IPv6 host needs brackets, e.g. [::1]:9713")
            }
        }
        if let bad = host.unicodeScalars.first(where: {
            $0.value <= 0x20 || $0.value >= 0x7F || "/[]".unicodeScalars.contains($0)
        }) {
            throw Problem(why: "the host holds a forbidden \"\(String(bad).debugEscaped)\"")
        }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = Int(portText)
        else { throw Problem(why: "the port \"\(String(portText).debugEscaped)\" is not a number") }
        guard ports.contains(port) else {
            throw Problem(why: "port \(port) is out of range \(ports.lowerBound)-\(ports.upperBound)")
        }
        return (String(host), port)
    }

    /// `host:port`, with an IPv6 host in brackets so that `split` reads it back.
    public static func format(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
