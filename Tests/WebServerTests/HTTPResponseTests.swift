import Testing

@testable import WebServer

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

@Suite struct HTTPResponseTests {
    @Test func serializesStatusHeadersLengthAndBody() {
        var response = HTTPResponse.text("hi\n")
        response.headers.add("Content-Length", "999")
        #expect(
            text(response.serialized(date: "Sun, 06 Nov 1994 08:49:37 GMT"))
                == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\n"
                + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\nhi\n")
    }

    @Test func headAnswersLikeGetWithoutTheBody() {
        let response = HTTPResponse(status: 200, contentType: "text/plain", body: "hello")
        let get = text(response.serialized())
        let head = text(response.serialized(headOnly: true))
        #expect(get == head + "hello")
        #expect(head.contains("Content-Length: 5\r\n"))
    }

    @Test func connectionHeaderFollowsKeepAlive() {
        let response = HTTPResponse(status: 204)
        #expect(text(response.serialized(keepAlive: false)).contains("\r\nConnection: close\r\n"))
        #expect(!text(response.serialized(keepAlive: true)).contains("Connection"))
        #expect(text(response.serialized(version: .http10, keepAlive: true)).contains("\r\nConnection: keep-alive\r\n"))
    }

    @Test func methodNotAllowedCarriesAllow() {
        let response = HTTPResponse.methodNotAllowed("DELETE", allowed: ["GET", "HEAD"])
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, HEAD")
        #expect(text(response.body) == "method DELETE not allowed; use GET or HEAD\n")
        #expect(text(response.serialized()).hasPrefix("HTTP/1.1 405 Method Not Allowed\r\n"))
    }

    @Test func parseErrorsBecomeTextAnswers() {
        let response = HTTPResponse.error(HTTPParseError(status: 431, reason: "more than 100 header fields"))
        #expect(response.status == 431)
        #expect(text(response.body) == "431 Request Header Fields Too Large: more than 100 header fields\n")
    }

    @Test func reasonPhrases() {
        #expect(HTTPResponse.reasonPhrase(for: 418) == "I'm a teapot")
        #expect(HTTPResponse.reasonPhrase(for: 299) == "Unknown")
        #expect(HTTPResponse.reasonPhrase(for: 499) == "Client Error")
        #expect(HTTPResponse.reasonPhrase(for: 599) == "Server Error")
    }

    @Test func httpDates() {
        #expect(HTTPDate.string(unixSeconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.string(unixSeconds: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
    }
}
