import Testing

@testable import NetIO

@Suite struct TCPTests {
    @Test func echoOverLoopback() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let server = Task {
            let connection = try await listener.accept()
            let bytes = try await connection.read(maxBytes: 100, deadline: .after(.seconds(5)))
            try await connection.write(bytes + bytes, deadline: .after(.seconds(5)))
            await connection.close()
        }
        let client = try await TCPConnection.connect(
            host: "127.0.0.1", port: listener.port, deadline: .after(.seconds(5)))
        try await client.write(Array("ping".utf8), deadline: .after(.seconds(5)))
        var received: [UInt8] = []
        while received.count < 8 {
            let chunk = try await client.read(maxBytes: 100, deadline: .after(.seconds(5)))
            if chunk.isEmpty { break }
            received += chunk
        }
        #expect(String(decoding: received, as: UTF8.self) == "pingping")
        #expect(try await client.read(maxBytes: 100, deadline: .after(.seconds(5))).isEmpty)
        try await server.value
    }

    @Test func readTimesOutAtItsDeadline() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try await TCPConnection.connect(
            host: "127.0.0.1", port: listener.port, deadline: .after(.seconds(5)))
        let start = Deadline.now
        await #expect(throws: NetError.timeout(operation: "read")) {
            _ = try await client.read(maxBytes: 10, deadline: .after(.milliseconds(200)))
        }
        let elapsed = Deadline.now.seconds(since: start)
        #expect(elapsed >= 0.19 && elapsed < 5)
    }

    @Test func refusedConnectionSaysSo() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let port = listener.port
        listener.close()
        await #expect(throws: NetError.connectionRefused(address: "127.0.0.1:\(port)")) {
            _ = try await TCPConnection.connect(host: "127.0.0.1", port: port, deadline: .after(.seconds(5)))
        }
    }

    @Test func localhostResolvesOffThePool() async throws {
        let addresses = try await Resolver.shared.resolve(host: "localhost", port: 80, deadline: .after(.seconds(5)))
        #expect(addresses.contains { $0.host == "127.0.0.1" || $0.host == "::1" })
    }

    @Test func cancellingAWaitingReadEndsIt() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try await TCPConnection.connect(
            host: "127.0.0.1", port: listener.port, deadline: .after(.seconds(5)))
        let reader = Task { try await client.read(maxBytes: 10, deadline: .after(.seconds(30))) }
        // Fixed: lets the reader park on the reactor before it is cancelled.
        try await Task.sleep(for: .milliseconds(50))
        reader.cancel()
        await #expect(throws: NetError.cancelled) { _ = try await reader.value }
    }

    @Test func closingWakesAPendingAccept() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let acceptor = Task { try await listener.accept() }
        // Fixed: lets the accept park on the reactor before the listener closes.
        try await Task.sleep(for: .milliseconds(50))
        listener.close()
        await #expect(throws: NetError.closed) { _ = try await acceptor.value }
    }

    /// Two hundred idle readers must not starve the two-thread cooperative pool: a connection
    /// made meanwhile succeeds long before their deadline (the margins allow a loaded machine).
    @Test func manyHungReadsDoNotBlockOtherWork() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let deadline = Deadline.after(.seconds(10))
        let start = Deadline.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    let client = try await TCPConnection.connect(
                        host: "127.0.0.1", port: listener.port, deadline: .after(.seconds(5)))
                    _ = try? await client.read(maxBytes: 10, deadline: deadline)
                }
            }
            try await Task.sleep(for: .milliseconds(100))
            let probe = try await TCPConnection.connect(
                host: "127.0.0.1", port: listener.port, deadline: .after(.seconds(4)))
            await probe.close()
            #expect(Deadline.now.seconds(since: start) < 7, "a connect waited for the hung reads")
            try await group.waitForAll()
        }
        #expect(Deadline.now.seconds(since: start) < 20)
    }

    @Test func abortResetsThePeer() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try await TCPConnection.connect(
            host: "127.0.0.1", port: listener.port, deadline: .after(.seconds(5)))
        var server: TCPConnection? = try await listener.accept()
        try await client.write(Array("x".utf8), deadline: .after(.seconds(5)))
        server?.abort()
        server = nil
        await #expect(throws: NetError.reset) {
            _ = try await client.read(maxBytes: 10, deadline: .after(.seconds(5)))
        }
    }
}
