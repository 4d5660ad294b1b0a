import NetIO
import Synchronization
import TestSupport
import Testing

@testable import WebServer

/// The server's defences: deadlines, the connection cap, and shutdown.
@Suite(.timeLimit(.minutes(1))) struct HTTPServerLimitTests {
    /// A byte every 50 ms never completes the head, and never goes 300 ms without one: only a
    /// deadline that runs from accept, not from the last byte, ends it. A server that reset it on
    /// every byte would hold the connection until the client's patience ran out.
    @Test func dropsAClientThatTricklesItsHead() async throws {
        let server = try startServer { $0.requestHeadTimeout = .milliseconds(300) }
        let client = try await WireClient(port: server.ports[0])
        let start = Deadline.now
        let connection = client.stream
        let trickle = Task {
            guard
                (try? await connection.write(
                    Array("GET / HTTP/1.1\r\nX-Slow: ".utf8), deadline: .after(Patience.deadline))) != nil
            else { return }
            while !Task.isCancelled {
                guard (try? await connection.write([UInt8(ascii: "a")], deadline: .after(Patience.deadline))) != nil
                else { return }
                // The cadence under test, not a wait for an event.
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        let response = try? await client.response()
        let elapsed = Deadline.now.seconds(since: start)
        trickle.cancel()
        #expect(response == nil || response?.status == 408)
        #expect(elapsed >= 0.25, "dropped after \(elapsed) s, before the head timeout")
        #expect(elapsed < Patience.deadline.secondsDouble, "the trickle held the connection")
        try await eventually { server.openConnections == 0 }
        await client.close()
        await server.shutdown()
    }

    @Test func answers408ToAnIncompleteHead() async throws {
        let server = try startServer { $0.requestHeadTimeout = .milliseconds(300) }
        let client = try await withTaskExecutorPreference(promptClient) {
            let client = try await WireClient(port: server.ports[0])
            try await client.send("GET / HTTP/1.1\r\n")
            return client
        }
        let response = try await client.response()
        #expect(response.status == 408)
        #expect(response.bodyText == "408 Request Timeout: request not received within 0.3 s\n")
        await client.close()
        await server.shutdown()
    }

    /// Only the server's timers can close these two, and the defaults (10 s, 120 s) are not the
    /// ones under test: the 120 s idle timeout outlasts the client's patience.
    @Test func dropsASilentClientAndAnIdleKeepAliveOne() async throws {
        let server = try startServer {
            $0.requestHeadTimeout = .milliseconds(300)
            $0.idleTimeout = .milliseconds(300)
        }
        let silent = try await WireClient(port: server.ports[0])
        let idle = try await withTaskExecutorPreference(promptClient) {
            let idle = try await WireClient(port: server.ports[0])
            try await idle.send("GET / HTTP/1.1\r\n\r\n")
            return idle
        }
        #expect(try await idle.response().status == 200)
        #expect(await silent.isClosedByServer())
        #expect(await idle.isClosedByServer())
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

    /// Three hundred connections wait for a head that never comes (for an hour: they can only
    /// end by shutdown), and a request made meanwhile is answered while all are still open.
    @Test func manyIdleConnectionsDoNotDelayARequest() async throws {
        let server = try startServer { $0.requestHeadTimeout = .seconds(3600) }
        var idle: [WireClient] = []
        for _ in 0..<300 { idle.append(try await WireClient(port: server.ports[0])) }
        try await eventually { server.openConnections == 300 }
        let client = try await WireClient(port: server.ports[0])
        try await client.send("GET / HTTP/1.1\r\n\r\n")
        #expect(try await client.response().status == 200)
        #expect(server.openConnections == 301)
        await server.shutdown()
        #expect(server.openConnections == 0)
        for client in idle { await client.close() }
    }

    /// The in-flight request is held until the idle connection is seen closed, so shutdown
    /// surely meets it in its handler; the grace period is not under test here, so it is long.
    @Test func shutdownFinishesInFlightRequestsAndClosesIdleOnes() async throws {
        let held = HeldRequests()
        let server = try startServer(held: held) { $0.shutdownGracePeriod = .seconds(3600) }
        let busy = try await WireClient(port: server.ports[0])
        let idle = try await WireClient(port: server.ports[0])
        try await idle.send("GET / HTTP/1.1\r\n\r\n")
        _ = try await idle.response()
        try await busy.send("GET /held HTTP/1.1\r\n\r\n")
        try await eventually { held.count == 1 }
        let stopped = Atomic<Bool>(false)
        let stopping = Task {
            await server.shutdown()
            stopped.store(true, ordering: .relaxed)
        }
        #expect(await idle.isClosedByServer())
        let stoppedEarly = stopped.load(ordering: .relaxed)
        #expect(!stoppedEarly, "shutdown did not wait for the request in flight")
        held.release()
        let response = try await busy.response()
        #expect(response.bodyText == "released")
        #expect(response.headers["Connection"] == "close")
        // Ends when the last request does, not after the hour's grace (the suite's limit is a minute).
        await stopping.value
        await #expect(throws: (any Error).self) { try await WireClient(port: server.ports[0]) }
    }

    /// A request that would be held for ever is closed once the short grace period is over: only
    /// that can end the shutdown.
    @Test func shutdownClosesRequestsThatOutliveTheGracePeriod() async throws {
        let held = HeldRequests()
        let server = try startServer(held: held) { $0.shutdownGracePeriod = .milliseconds(200) }
        let client = try await WireClient(port: server.ports[0])
        try await client.send("GET /held HTTP/1.1\r\n\r\n")
        try await eventually { held.count == 1 }
        let start = Deadline.now
        await server.shutdown()
        #expect(Deadline.now.seconds(since: start) >= 0.19, "closed before the grace period was over")
        #expect(server.openConnections == 0)
        await client.close()
    }
}
