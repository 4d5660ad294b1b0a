/// Why a request was refused before reaching a handler: the status to answer with and a
/// reason that goes into the response body, so a client sees what it did wrong.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var reason: String

    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status) \(HTTPResponse.reasonPhrase(for: status)): \(reason)" }

    static func bad(_ reason: String) -> HTTPParseError { HTTPParseError(status: 400, reason: reason) }
}

/// The sizes a request may reach. The defaults are generous for a metrics endpoint and small
/// enough that a few hundred connections cannot exhaust memory.
public struct HTTPLimits: Sendable, Equatable {
    /// Request line without its CRLF; longer → 414.
    public var maxRequestLineBytes = 8 * 1024
    /// Header fields after the request line, CRLFs included; larger → 431.
    public var maxHeaderBytes = 16 * 1024
    /// Header fields; more → 431.
    public var maxHeaderCount = 100
    /// Content-Length of a body; larger → 413.
    public var maxBodyBytes = 64 * 1024

    public init() {}
}
