import NetIO
import Synchronization
import TestSupport
import Testing

@testable import WebServer

/// The server's defences: deadlines, the connection cap, and shutdown.
@Suite(.timeLimit(.minutes(1))) struct HTTPServerLimitTests {
    @Test func dropsAClientThatTricklesItsHead() async throws {
        let server = try startServer { $0.requestHeadTimeout = .milliseconds(300) }
        let client = try await WireClient(port: server.ports[0])
        let start = Deadline.now
        let connection = client.stream
        let trickle = Task {
            for byte in "GET / HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaa\r\n\r\n".utf8 {
                guard (try? await connection.write([byte], deadline: .after(.seconds(1)))) != nil else { return }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
        let response = try? await client.response(timeout: .seconds(3))
        let elapsed = Deadline.now.seconds(since: start)
        trickle.cancel()
        #expect(response == nil || response?.status == 408)
        #expect(elapsed >= 0.25 && elapsed < 4, "dropped after \(elapsed) s")
        try await eventually { server.openConnections == 0 }
        await client.close()
        await server.shutdown()
    }

    @Test func answers408ToAnIncompleteHead() async throws {
        let server = try startServer { $0.requestHeadTimeout = .milliseconds(300) }
        let client = try await WireClient(port: server.ports[0])
        try await client.send("GET / HTTP/1.1\r\n")
        let response = try await client.response()
        #expect(response.status == 408)
        #expect(response.bodyText == "408 Request Timeout: request not received within 0.3 s\n")
        await client.close()
        await server.shutdown()
    }

    @Test func dropsASilentClientAndAnIdleKeepAliveOne() async throws {
        let server = try startServer {
            $0.requestHeadTimeout = .milliseconds(300)
            $0.idleTimeout = .milliseconds(300)
        }
        let silent = try await WireClient(port: server.ports[0])
        let idle = try await WireClient(port: server.ports[0])
        try await idle.send("GET / HTTP/1.1\r\n\r\n")
        #expect(try await idle.response().status == 200)
        let start = Deadline.now
        #expect(await silent.isClosedByServer(timeout: .seconds(2)))
        #expect(await idle.isClosedByServer(timeout: .seconds(2)))
        #expect(Deadline.now.seconds(since: start) < 4)
        await server.shutdown()
    }

    @Test func refusesConnectionsOverTheLimitWith503() async throws {
        let server = try startServer { $0.maxConnections = 2 }
        var clients: [WireClient] = []
        for _ in 0..<2 {
            let client = try await WireClient(port: server.ports[0])
            try await client.send("GET / HTTP/1.1\r\n\r\n")
            #expect(try await client.response().status == 200)
            clients.append(client)
        }
        let extra = try await WireClient(port: server.ports[0])
        let refused = try await extra.response()
        #expect(refused.status == 503)
        #expect(refused.bodyText == "503 Service Unavailable: more than 2 open connections\n")
        #expect(await extra.isClosedByServer())
        await clients[0].close()
        try await eventually { server.openConnections == 1 }
        let later = try await WireClient(port: server.ports[0])
        try await later.send("GET / HTTP/1.1\r\n\r\n")
        #expect(try await later.response().status == 200)
        await server.shutdown()
    }

    @Test func manyIdleConnectionsDoNotDelayARequest() async throws {
        let server = try startServer()
        var idle: [WireClient] = []
        for _ in 0..<300 { idle.append(try await WireClient(port: server.ports[0])) }
        try await eventually { server.openConnections == 300 }
        let start = Deadline.now
        let client = try await WireClient(port: server.ports[0])
        try await client.send("GET / HTTP/1.1\r\n\r\n")
        #expect(try await client.response(timeout: .seconds(2)).status == 200)
        #expect(Deadline.now.seconds(since: start) < 4, "a request took \(Deadline.now.seconds(since: start)) s")
        await server.shutdown()
        #expect(server.openConnections == 0)
        for client in idle { await client.close() }
    }

    @Test func shutdownFinishesInFlightRequestsAndClosesIdleOnes() async throws {
        let server = try startServer()
        let busy = try await WireClient(port: server.ports[0])
        let idle = try await WireClient(port: server.ports[0])
        try await idle.send("GET / HTTP/1.1\r\n\r\n")
        _ = try await idle.response()
        try await busy.send("GET /slow?ms=400 HTTP/1.1\r\n\r\n")
        // Fixed: lets the slow request reach its handler; the server exposes no event for that.
        try await Task.sleep(for: .milliseconds(100))
        let start = Deadline.now
        async let stopped: Void = server.shutdown()
        #expect(await idle.isClosedByServer(timeout: .seconds(1)))
        let response = try await busy.response()
        #expect(response.bodyText == "slept 400")
        #expect(response.headers["Connection"] == "close")
        await stopped
        #expect(Deadline.now.seconds(since: start) < 3)
        await #expect(throws: (any Error).self) { try await WireClient(port: server.ports[0]) }
    }

    @Test func shutdownClosesRequestsThatOutliveTheGracePeriod() async throws {
        let server = try startServer { $0.shutdownGracePeriod = .milliseconds(200) }
        let client = try await WireClient(port: server.ports[0])
        try await client.send("GET /slow?ms=5000 HTTP/1.1\r\n\r\n")
        // Fixed: lets the slow request reach its handler; the server exposes no event for that.
        try await Task.sleep(for: .milliseconds(100))
        let start = Deadline.now
        await server.shutdown()
        #expect(Deadline.now.seconds(since: start) < 3)
        #expect(server.openConnections == 0)
        await client.close()
    }
}
