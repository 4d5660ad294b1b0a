import Testing

@testable import WebServer

/// Feeds `bytes` in the given chunk sizes and collects every request, or the first error.
func parse(_ bytes: [UInt8], splits: [Int] = [], limits: HTTPLimits = HTTPLimits()) -> (
    requests: [HTTPRequest], error: HTTPParseError?
) {
    var parser = HTTPRequestParser(limits: limits)
    var requests: [HTTPRequest] = []
    var offset = 0
    for end in splits + [bytes.count] where end >= offset {
        parser.append(bytes[offset..<end])
        offset = end
        do {
            while let request = try parser.nextRequest() { requests.append(request) }
        } catch {
            return (requests, error)
        }
    }
    return (requests, nil)
}

func parse(_ text: String, limits: HTTPLimits = HTTPLimits()) -> (requests: [HTTPRequest], error: HTTPParseError?) {
    parse(Array(text.utf8), limits: limits)
}

@Suite struct HTTPRequestParserTests {
    let pipelined =
        "GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\nAccept-Encoding: gzip\r\n\r\n"
        + "POST /-/reload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
        + "HEAD / HTTP/1.0\r\n\r\n"

    @Test func parsesAGet() throws {
        let (requests, error) = parse("GET /api/v1/status/%40alice?fresh=1 HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n\r\n")
        #expect(error == nil)
        let request = try #require(requests.first)
        #expect(request.method == "GET")
        #expect(request.rawTarget == "/api/v1/status/%40alice?fresh=1")
        #expect(request.path == "/api/v1/status/@alice")
        #expect(request.query == "fresh=1")
        #expect(request.version == .http11)
        #expect(request.headers["host"] == "x")
        #expect(request.headers["x-a"] == "1")
        #expect(request.body.isEmpty)
    }

    @Test func pipelinedRequestsComeOutInOrderWhateverTheSplit() {
        let bytes = Array(pipelined.utf8)
        for split in 0...bytes.count {
            let (requests, error) = parse(bytes, splits: [split])
            #expect(error == nil, "split at \(split)")
            #expect(requests.map(\.method) == ["GET", "POST", "HEAD"], "split at \(split)")
            #expect(requests.count == 3 && requests[1].body == Array("hello".utf8), "split at \(split)")
        }
    }

    @Test func byteByByteFeedingParsesEveryRequest() {
        let bytes = Array(pipelined.utf8)
        let (requests, error) = parse(bytes, splits: Array(0...bytes.count))
        #expect(error == nil)
        #expect(requests.map(\.path) == ["/metrics", "/-/reload", "/"])
        #expect(requests.map(\.version) == [.http11, .http11, .http10])
    }

    @Test func waitsForTheWholeBody() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nab".utf8))
        #expect(try parser.nextRequest() == nil)
        #expect(!parser.isIdle)
        parser.append(Array("cd".utf8))
        #expect(try parser.nextRequest()?.body == Array("abcd".utf8))
        #expect(parser.isIdle)
    }

    @Test func skipsEmptyLinesBeforeARequest() {
        #expect(parse("\r\n\r\nGET / HTTP/1.1\r\n\r\n").requests.count == 1)
    }

    @Test func repeatedHeadersAreKeptAndListsSplit() throws {
        let request = try #require(parse("GET / HTTP/1.1\r\nA: 1\r\na: 2, 3\r\n\r\n").requests.first)
        #expect(request.headers.values("A") == ["1", "2, 3"])
        #expect(request.headers.listValues("a") == ["1", "2", "3"])
        #expect(request.headers["A"] == "1")
    }

    @Test func headerValuesAreTrimmed() throws {
        let request = try #require(parse("GET / HTTP/1.1\r\nX:  \t v a \t\r\n\r\n").requests.first)
        #expect(request.headers["x"] == "v a")
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", false),
        ("GET / HTTP/1.1\r\nConnection: Upgrade, Close\r\n\r\n", false),
        ("GET / HTTP/1.0\r\n\r\n", false),
        ("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true),
    ])
    func keepAliveFollowsVersionAndConnection(text: String, keepAlive: Bool) throws {
        #expect(try #require(parse(text).requests.first).keepAlive == keepAlive)
    }

    @Test func requestLineLimitIs414() {
        let exact = "GET /" + String(repeating: "a", count: 8192 - 14) + " HTTP/1.1"
        #expect(exact.utf8.count == 8192)
        #expect(parse(exact + "\r\n\r\n").error == nil)
        let error = parse("GET /a" + String(repeating: "a", count: 8192 - 14) + " HTTP/1.1\r\n\r\n").error
        #expect(error == HTTPParseError(status: 414, reason: "request line longer than 8192 bytes"))
    }

    @Test func anUnendingRequestLineIsRefusedBeforeItEnds() {
        #expect(parse("GET /" + String(repeating: "a", count: 9000)).error?.status == 414)
    }

    @Test func headerSectionLimitIs431() {
        let field = "X: " + String(repeating: "v", count: 1000) + "\r\n"
        let error = parse("GET / HTTP/1.1\r\n" + String(repeating: field, count: 17) + "\r\n").error
        #expect(error == HTTPParseError(status: 431, reason: "header section larger than 16384 bytes"))
        #expect(parse("GET / HTTP/1.1\r\n" + String(repeating: field, count: 16) + "\r\n").error == nil)
        #expect(parse("GET / HTTP/1.1\r\n" + String(repeating: field, count: 17)).error?.status == 431)
    }

    @Test func headerCountLimitIs431() {
        let fields = (0..<101).map { "X\($0): v\r\n" }
        #expect(parse("GET / HTTP/1.1\r\n" + fields.dropLast().joined() + "\r\n").error == nil)
        let error = parse("GET / HTTP/1.1\r\n" + fields.joined() + "\r\n").error
        #expect(error == HTTPParseError(status: 431, reason: "more than 100 header fields"))
    }

    @Test func bodyLimitIs413() {
        #expect(parse("POST / HTTP/1.1\r\nContent-Length: 65536\r\n\r\n").error == nil)
        let error = parse("POST / HTTP/1.1\r\nContent-Length: 65537\r\n\r\n").error
        #expect(error == HTTPParseError(status: 413, reason: "body larger than 65536 bytes"))
    }

    @Test func transferEncodingOnPostIs411() {
        let error = parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").error
        #expect(error?.status == 411)
        #expect(error?.reason == "Transfer-Encoding bodies are not supported; send Content-Length")
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc", "a GET request must not have a body"),
        ("HEAD / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "a HEAD request must not have a body"),
        (
            "POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "both Content-Length and Transfer-Encoding are present"
        ),
        ("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "invalid Content-Length: 1, 2"),
        ("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "invalid Content-Length: -1"),
        ("POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\n", "invalid Content-Length: +1"),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "more than one Host header"),
        ("GET /  HTTP/1.1\r\n\r\n", "malformed request line: \"GET /  HTTP/1.1\""),
        ("GET /\r\n\r\n", "malformed request line: \"GET /\""),
        ("G(T / HTTP/1.1\r\n\r\n", "invalid method in request line: \"G(T / HTTP/1.1\""),
        ("GET /\u{7F} HTTP/1.1\r\n\r\n", "invalid character in request target: \"GET /\\u{7f} HTTP/1.1\""),
        ("GET / HTTP/1.x\r\n\r\n", "malformed HTTP version in request line: \"GET / HTTP/1.x\""),
        ("GET metrics HTTP/1.1\r\n\r\n", "request target must start with \"/\": metrics"),
        ("GET /%zz HTTP/1.1\r\n\r\n", "request target has a malformed percent escape: /%zz"),
        ("GET / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n", "obsolete line folding is not allowed: \" folded\""),
        ("GET / HTTP/1.1\r\nNoColon\r\n\r\n", "header line without a colon: \"NoColon\""),
        ("GET / HTTP/1.1\r\nA : 1\r\n\r\n", "invalid header name: \"A : 1\""),
        ("GET / HTTP/1.1\r\nA: 1\u{0}2\r\n\r\n", "invalid character in header A"),
        ("GET / HTTP/1.1\r\nA: 1\r2\r\n\r\n", "bare CR in request head"),
        ("GET / HTTP/1.1\nA: 1\r\n\r\n", "bare LF in request head: lines must end with CRLF"),
    ])
    func malformedRequestsAre400(text: String, reason: String) {
        #expect(parse(text).error == HTTPParseError(status: 400, reason: reason))
    }

    @Test func unknownVersionIs505() {
        #expect(
            parse("GET / HTTP/2.0\r\n\r\n").error
                == HTTPParseError(status: 505, reason: "HTTP version not supported: HTTP/2.0"))
    }

    @Test func errorsStick() {
        var parser = HTTPRequestParser()
        parser.append(Array("BAD\r\n\r\nGET / HTTP/1.1\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.self) { try parser.nextRequest() }
        #expect(throws: HTTPParseError.self) { try parser.nextRequest() }
    }

    @Test func smallLimitsApply() {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 3
        #expect(parse("POST / HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd", limits: limits).error?.status == 413)
    }

    @Test func manySequentialRequestsCompactTheBuffer() throws {
        var parser = HTTPRequestParser()
        for index in 0..<2000 {
            parser.append(Array("GET /\(index) HTTP/1.1\r\n\r\n".utf8))
            #expect(try parser.nextRequest()?.path == "/\(index)")
        }
        #expect(parser.isIdle)
    }
}

@Suite struct ExpectContinueTests {
    @Test func asksForContinueOncePerBodyThatIsStillMissing() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("POST / HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n".utf8))
        #expect(try parser.nextRequest() == nil)
        let asked = parser.takeContinueNeeded()
        #expect(asked)
        let askedAgain = parser.takeContinueNeeded()
        #expect(!askedAgain)
        parser.append(Array("hi".utf8))
        #expect(try parser.nextRequest()?.body == Array("hi".utf8))
    }

    @Test func noContinueWithoutABodyOrWhenTheBodyIsThere() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n".utf8))
        _ = try parser.nextRequest()
        let askedWithoutBody = parser.takeContinueNeeded()
        #expect(!askedWithoutBody)
        parser.append(Array("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx".utf8))
        _ = try parser.nextRequest()
        let askedWithBody = parser.takeContinueNeeded()
        #expect(!askedWithBody)
    }
}
