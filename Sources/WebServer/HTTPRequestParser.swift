/// An incremental HTTP/1.1 request parser. Feed it bytes as they arrive, split anywhere, and
/// take requests out in order; several pipelined requests may sit in one chunk.
///
/// Choices where RFC 9112 leaves room, all answered before any handler runs:
/// - a body on GET or HEAD (Content-Length > 0 or any Transfer-Encoding) → 400;
/// - Transfer-Encoding on other methods → 411: bodies must come with Content-Length;
/// - a Content-Length above `maxBodyBytes` → 413;
/// - lines end in CRLF only: a bare CR or bare LF → 400; obs-fold → 400;
/// - an unknown `HTTP/x.y` version → 505; empty lines before a request line are skipped.
/// After an error the parser stays failed: the connection must answer and close.
public struct HTTPRequestParser: Sendable {
    private enum Phase {
        case head
        case body(HTTPRequest, length: Int)
    }

    public let limits: HTTPLimits
    private var buffer: [UInt8] = []
    /// First byte not yet consumed by a returned request.
    private var start = 0
    private var phase = Phase.head
    private var failure: HTTPParseError?
    /// Head scanning state, as absolute indices into `buffer`.
    private var scanIndex = 0
    private var lineStart = 0
    private var requestLineEnd: Int?
    private var headerCount = 0
    private var continueNeeded = false

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    /// True when no byte of a next request has arrived: the connection is idle between requests.
    public var isIdle: Bool {
        if case .head = phase { return start == buffer.count }
        return false
    }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// True once per request whose head asked `Expect: 100-continue` and whose body has not
    /// arrived: the server must then send `100 Continue` or the client (curl) waits a second.
    public mutating func takeContinueNeeded() -> Bool {
        defer { continueNeeded = false }
        return continueNeeded
    }

    /// The next complete request, nil when more bytes are needed; throws the answer to give
    /// when the bytes cannot be a valid request (and keeps throwing it).
    public mutating func nextRequest() throws(HTTPParseError) -> HTTPRequest? {
        if let failure { throw failure }
        do {
            return try parseNext()
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func parseNext() throws(HTTPParseError) -> HTTPRequest? {
        if case .head = phase {
            guard let headEnd = try scanHead() else { return nil }
            let request = try HTTPRequestParser.parseHead(buffer[start..<headEnd - 2])
            start = headEnd
            let length = try bodyLength(of: request)
            phase = .body(request, length: length)
            continueNeeded =
                length > 0 && request.version == .http11 && request.headers["Expect"]?.lowercased() == "100-continue"
        }
        guard case .body(var request, let length) = phase, buffer.count - start >= length else { return nil }
        continueNeeded = false
        request.body = Array(buffer[start..<start + length])
        start += length
        phase = .head
        scanIndex = start
        lineStart = start
        return request
    }

    /// Scans new bytes for line ends, enforcing the size limits as bytes arrive so a client
    /// cannot make the buffer grow without bound. Returns the index just past the empty line.
    private mutating func scanHead() throws(HTTPParseError) -> Int? {
        let cr = UInt8(ascii: "\r")
        while scanIndex < buffer.count {
            let byte = buffer[scanIndex]
            let afterCR = scanIndex > lineStart && buffer[scanIndex - 1] == cr
            scanIndex += 1
            if byte != UInt8(ascii: "\n") {
                if afterCR { throw .bad("bare CR in request head") }
                continue
            }
            guard afterCR else { throw .bad("bare LF in request head: lines must end with CRLF") }
            let headEnd = try endLine(length: scanIndex - 2 - lineStart)
            lineStart = scanIndex
            if let headEnd { return headEnd }
        }
        try checkPartialLimits()
        return nil
    }

    /// Accounts for one complete line; returns the head end when the line is the empty one.
    private mutating func endLine(length: Int) throws(HTTPParseError) -> Int? {
        guard let requestLineEnd else {
            if length == 0 {
                start = scanIndex
            } else if length > limits.maxRequestLineBytes {
                throw HTTPParseError(
                    status: 414, reason: "request line longer than \(limits.maxRequestLineBytes) bytes")
            } else {
                self.requestLineEnd = scanIndex
            }
            return nil
        }
        if scanIndex - requestLineEnd > limits.maxHeaderBytes { throw headerTooLarge() }
        guard length > 0 else {
            let headEnd = scanIndex
            self.requestLineEnd = nil
            headerCount = 0
            return headEnd
        }
        headerCount += 1
        if headerCount > limits.maxHeaderCount {
            throw HTTPParseError(status: 431, reason: "more than \(limits.maxHeaderCount) header fields")
        }
        return nil
    }

    private func checkPartialLimits() throws(HTTPParseError) {
        if let requestLineEnd {
            if buffer.count - requestLineEnd > limits.maxHeaderBytes { throw headerTooLarge() }
        } else if buffer.count - lineStart > limits.maxRequestLineBytes + 1 {
            throw HTTPParseError(status: 414, reason: "request line longer than \(limits.maxRequestLineBytes) bytes")
        }
    }

    private func headerTooLarge() -> HTTPParseError {
        HTTPParseError(status: 431, reason: "header section larger than \(limits.maxHeaderBytes) bytes")
    }

    private func bodyLength(of request: HTTPRequest) throws(HTTPParseError) -> Int {
        let noBody = request.method == "GET" || request.method == "HEAD"
        let lengths = request.headers.listValues("Content-Length")
        if request.headers.contains("Transfer-Encoding") {
            if !lengths.isEmpty { throw .bad("both Content-Length and Transfer-Encoding are present") }
            if noBody { throw .bad("a \(request.method) request must not have a body") }
            throw HTTPParseError(
                status: 411, reason: "Transfer-Encoding bodies are not supported; send Content-Length")
        }
        guard let first = lengths.first else { return 0 }
        guard lengths.allSatisfy({ $0 == first }), first.utf8.count <= 18, first.utf8.allSatisfy(isDigit),
            let length = Int(first)
        else { throw .bad("invalid Content-Length: \(lengths.joined(separator: ", "))") }
        if noBody && length > 0 { throw .bad("a \(request.method) request must not have a body") }
        if length > limits.maxBodyBytes {
            throw HTTPParseError(status: 413, reason: "body larger than \(limits.maxBodyBytes) bytes")
        }
        return length
    }

    /// Drops consumed bytes once they are worth moving, shifting the scan indices with them.
    private mutating func compact() {
        guard start > 0, start == buffer.count || start >= 4096 else { return }
        buffer.removeFirst(start)
        scanIndex -= start
        lineStart -= start
        requestLineEnd = requestLineEnd.map { $0 - start }
        start = 0
    }
}

func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
