/// The HTTP versions this server speaks; anything else is refused with 505.
public enum HTTPVersion: String, Sendable, Equatable {
    case http10 = "HTTP/1.0"
    case http11 = "HTTP/1.1"
}

/// One parsed request. `path` is percent-decoded; `rawTarget` is exactly what was sent.
public struct HTTPRequest: Sendable {
    public var method: String
    public var rawTarget: String
    /// Decoded path, always starting with "/".
    public var path: String
    /// The query string after "?", still encoded; nil when the target has no "?".
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The peer, e.g. "127.0.0.1:40312"; empty when not from a connection (tests).
    public var remoteAddress: String = ""
    /// What follows the matched prefix of a prefix route ("@alice" for `/api/v1/status/@alice`);
    /// empty for exact routes.
    public var routeRemainder: String = ""

    public init(
        method: String, target: String, version: HTTPVersion = .http11, headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = []
    ) throws(HTTPParseError) {
        self.method = method
        self.rawTarget = target
        self.version = version
        self.headers = headers
        self.body = body
        (self.path, self.query) = try HTTPRequest.splitTarget(target)
    }

    /// Whether the connection stays open after the answer: HTTP/1.1 unless `Connection: close`,
    /// HTTP/1.0 only with `Connection: keep-alive` (RFC 9112 §9.3).
    public var keepAlive: Bool {
        let tokens = headers.listValues("Connection").map { $0.lowercased() }
        if tokens.contains("close") { return false }
        return version == .http11 || tokens.contains("keep-alive")
    }

    /// Decoded `name=value` pairs of the query in order; `+` reads as a space. Pairs that do
    /// not decode are skipped rather than failing the whole request.
    public var queryParameters: [(name: String, value: String)] {
        HTTPRequest.parseQuery(query ?? "")
    }

    /// The first value of query parameter `name`.
    public func queryValue(_ name: String) -> String? {
        queryParameters.first { $0.name == name }?.value
    }

    public static func parseQuery(_ query: String) -> [(name: String, value: String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let plusAsSpace = { (text: Substring) in String(text.map { $0 == "+" ? " " : $0 }) }
            guard let name = percentDecode(plusAsSpace(parts[0])) else { return nil }
            guard let value = percentDecode(parts.count > 1 ? plusAsSpace(parts[1]) : "") else { return nil }
            return (name: name, value: value)
        }
    }

    /// Decodes `%XX` escapes; nil when an escape is malformed or the bytes are not UTF-8.
    public static func percentDecode(_ text: some StringProtocol) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Origin form (`/path?query`) and absolute form (`http://host/path?query`, RFC 9112 §3.2.2);
    /// `*` (asterisk form) reads as path "*" so routing answers it with 404.
    static func splitTarget(_ target: String) throws(HTTPParseError) -> (path: String, query: String?) {
        var rest = Substring(target)
        if target == "*" { return ("*", nil) }
        let lowered = target.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            let afterScheme = rest[rest.index(rest.firstIndex(of: ":")!, offsetBy: 3)...]
            rest = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }).map { afterScheme[$0...] } ?? "/"
            if rest.first == "?" { rest = "/" + rest }
        }
        guard rest.first == "/" else { throw .bad("request target must start with \"/\": \(target)") }
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard let path = percentDecode(parts[0]) else {
            throw .bad("request target has a malformed percent escape: \(target)")
        }
        return (path, parts.count > 1 ? String(parts[1]) : nil)
    }
}
