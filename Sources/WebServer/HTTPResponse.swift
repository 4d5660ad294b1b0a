/// An answer: status, headers and the whole body, held in memory. A large body may be a list
/// of parts (a `/metrics` page assembled from cached segments), sent with one `writev` per
/// ~1,000 parts rather than joined into one buffer first.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders
    /// The body, in order. Never joined on the way to the socket.
    public var bodyParts: [ArraySlice<UInt8>]

    public init(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.init(status: status, headers: headers, bodyParts: [body[...]])
    }

    public init(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), bodyParts: [ArraySlice<UInt8>]) {
        self.status = status
        self.headers = headers
        self.bodyParts = bodyParts
    }

    /// The body as one buffer (joined when it is in parts): for tests and small answers.
    public var body: [UInt8] {
        get {
            if bodyParts.count == 1 { return Array(bodyParts[0]) }
            var joined: [UInt8] = []
            joined.reserveCapacity(bodyCount)
            for part in bodyParts { joined.append(contentsOf: part) }
            return joined
        }
        set { bodyParts = [newValue[...]] }
    }

    public var bodyCount: Int { bodyParts.reduce(0) { $0 + $1.count } }

    /// Equal status, headers and body bytes, however the bodies are split into parts.
    public static func == (lhs: HTTPResponse, rhs: HTTPResponse) -> Bool {
        lhs.status == rhs.status && lhs.headers == rhs.headers && lhs.body == rhs.body
    }

    /// A response with a `Content-Type`; text is sent as UTF-8.
    public init(status: Int = 200, contentType: String, body: String) {
        self.init(status: status, headers: HTTPHeaders([("Content-Type", contentType)]), body: Array(body.utf8))
    }

    /// A plain-text answer, the form every error takes.
    public static func text(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, contentType: "text/plain; charset=utf-8", body: text)
    }

    public static func notFound(_ path: String) -> HTTPResponse {
        .text("404 page not found: \(path)\n", status: 404)
    }

    /// 405 with the `Allow` header RFC 9110 §15.5.6 requires.
    public static func methodNotAllowed(_ method: String, allowed: [String]) -> HTTPResponse {
        var response = HTTPResponse.text(
            "method \(method) not allowed; use \(allowed.joined(separator: " or "))\n", status: 405)
        response.headers.set("Allow", allowed.joined(separator: ", "))
        return response
    }

    /// The answer to a request the parser refused.
    public static func error(_ error: HTTPParseError) -> HTTPResponse {
        .text("\(error.status) \(reasonPhrase(for: error.status)): \(error.reason)\n", status: error.status)
    }

    /// Bytes on the wire. `Content-Length` is always the length of `body`, also for HEAD, which
    /// answers exactly as GET without the body (RFC 9110 §9.3.2). `Connection` says whether the
    /// server keeps the connection; HTTP/1.0 clients need `keep-alive` spelled out.
    public func serialized(
        version: HTTPVersion = .http11, headOnly: Bool = false, keepAlive: Bool = true, date: String? = nil
    ) -> [UInt8] {
        var bytes = head(version: version, keepAlive: keepAlive, date: date)
        if !headOnly { for part in bodyParts { bytes.append(contentsOf: part) } }
        return bytes
    }

    /// The status line and headers of `serialized`, for a writer that sends `bodyParts` after it.
    public func head(version: HTTPVersion = .http11, keepAlive: Bool = true, date: String? = nil) -> [UInt8] {
        var headers = self.headers
        headers.set("Content-Length", String(bodyCount))
        if let date { headers.set("Date", date) }
        headers.remove("Connection")
        if !keepAlive {
            headers.add("Connection", "close")
        } else if version == .http10 {
            headers.add("Connection", "keep-alive")
        }
        var head = "HTTP/1.1 \(status) \(HTTPResponse.reasonPhrase(for: status))\r\n"
        for field in headers { head += "\(field.name): \(field.value)\r\n" }
        head += "\r\n"
        return Array(head.utf8)
    }

    public static func reasonPhrase(for status: Int) -> String {
        reasonPhrases[status] ?? (status < 400 ? "Unknown" : status < 500 ? "Client Error" : "Server Error")
    }

    private static let reasonPhrases: [Int: String] = [
        100: "Continue", 200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 301: "Moved Permanently",
        302: "Found", 304: "Not Modified", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden",
        404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable", 408: "Request Timeout",
        411: "Length Required", 413: "Content Too Large", 414: "URI Too Long", 418: "I'm a teapot",
        429: "Too Many Requests", 431: "Request Header Fields Too Large", 500: "Internal Server Error",
        501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
        505: "HTTP Version Not Supported",
    ]
}
