/// An answer: status, headers and the whole body. Bodies here are small (metrics, JSON,
/// a landing page), so there is no streaming.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
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
        var headers = self.headers
        headers.set("Content-Length", String(body.count))
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
        var bytes = Array(head.utf8)
        if !headOnly { bytes.append(contentsOf: body) }
        return bytes
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
