import NetIO
import Synchronization
import TestSupport
import Testing

@testable import WebServer

/// Loopback tests of the whole server: each starts its own on 127.0.0.1 port 0.
@Suite(.timeLimit(.minutes(1))) struct HTTPServerTests {
    @Test func answersAGet() async throws {
        let server = try startServer()
        let client = try await WireClient(port: server.ports[0])
        try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try await client.response()
        #expect(response.status == 200)
        #expect(response.bodyText == "hello\n")
        #expect(response.headers["Content-Length"] == "6")
        #expect(response.headers["Date"]?.hasSuffix(" GMT") == true)
        await client.close()
        await server.shutdown()
    }

    @Test func keepsTheConnectionAlive() async throws {
        let server = try startServer()
        let client = try await WireClient(port: server.ports[0])
        for index in 0..<3 {
            try await client.send("GET /echo?n=\(index) HTTP/1.1\r\n\r\n")
            #expect(try await client.response().bodyText == "GET /echo?n=\(index) ")
        }
        #expect(server.openConnections == 1)
        try await client.send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(try await client.response().headers["Connection"] == "close")
        #expect(await client.isClosedByServer())
        await server.shutdown()
    }

    @Test func http10ClosesUnlessKeepAlive() async throws {
        let server = try startServer()
        let client = try await WireClient(port: server.ports[0])
        try await client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try await client.response().headers["Connection"] == "keep-alive")
        try await client.send("GET / HTTP/1.0\r\n\r\n")
        #expect(try await client.response().status == 200)
        #expect(await client.isClosedByServer())
        await server.shutdown()
    }

    @Test func answersPipelinedRequestsInOrder() async throws {
        let server = try startServer()
        let client = try await WireClient(port: server.ports[0])
        try await client.send(
            "GET /slow?ms=200 HTTP/1.1\r\n\r\nPOST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
                + "HEAD / HTTP/1.1\r\n\r\nGET /slow?ms=1 HTTP/1.1\r\n\r\n")
        #expect(try await client.response().bodyText == "slept 200")
        #expect(try await client.response().bodyText == "POST /echo abc")
        #expect(try await client.response(head: true).headers["Content-Length"] == "6")
        #expect(try await client.response().bodyText == "slept 1")
        await client.close()
        await server.shutdown()
    }

    @Test func headAnswersLikeGetWithoutABody() async throws {
        let server = try startServer()
        let client = try await WireClient(port: server.ports[0])
        try await client.send("HEAD / HTTP/1.1\r\n\r\n")
        let head = try await client.response(head: true)
        try await client.send("GET / HTTP/1.1\r\n\r\n")
        let get = try await client.response()
        #expect(head.status == 200)
        #expect(head.headers["Content-Length"] == get.headers["Content-Length"])
        #expect(head.headers["Content-Type"] == get.headers["Content-Type"])
        #expect(get.bodyText == "hello\n")
        await client.close()
        await server.shutdown()
    }

    @Test func unknownPathIs404AndWrongMethodIs405() async throws {
        let server = try startServer()
        let client = try await WireClient(port: server.ports[0])
        try await client.send("GET /nope HTTP/1.1\r\n\r\nDELETE / HTTP/1.1\r\n\r\n")
        #expect(try await client.response().status == 404)
        let refused = try await client.response()
        #expect(refused.status == 405)
        #expect(refused.headers["Allow"] == "GET, HEAD")
        await client.close()
        await server.shutdown()
    }

    @Test func malformedRequestGets400WithTheReasonAndACLose() async throws {
        let server = try startServer()
        let client = try await WireClient(port: server.ports[0])
        try await client.send("GET / HTTP/1.1\r\nBad Header: 1\r\n\r\n")
        let response = try await client.response()
        #expect(response.status == 400)
        #expect(response.bodyText == "400 Bad Request: invalid header name: \"Bad Header: 1\"\n")
        #expect(response.headers["Connection"] == "close")
        #expect(await client.isClosedByServer())
        await server.shutdown()
    }

    @Test func oversizedHeadGets431() async throws {
        let server = try startServer()
        let client = try await WireClient(port: server.ports[0])
        try await client.send(
            "GET / HTTP/1.1\r\n" + String(repeating: "X: \(String(repeating: "v", count: 100))\r\n", count: 200))
        #expect(try await client.response().status == 431)
        await client.close()
        await server.shutdown()
    }

    @Test func gzipsWhenAccepted() async throws {
        let server = try startServer()
        let client = try await WireClient(port: server.ports[0])
        try await client.send("GET /metrics HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n")
        let response = try await client.response()
        #expect(response.headers["Content-Encoding"] == "gzip")
        #expect(response.headers["Vary"] == "Accept-Encoding")
        #expect(try Gzip.decompress(response.body) == Array(String(repeating: "m 1\n", count: 500).utf8))
        await client.close()
        await server.shutdown()
    }

    @Test func sends100ContinueBeforeTheBody() async throws {
        let server = try startServer()
        let client = try await WireClient(port: server.ports[0])
        try await client.send("POST /echo HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n")
        #expect(try await client.response().status == 100)
        try await client.send("abc")
        #expect(try await client.response().bodyText == "POST /echo abc")
        await client.close()
        await server.shutdown()
    }
}
