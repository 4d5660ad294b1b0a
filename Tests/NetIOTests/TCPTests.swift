import TestSupport
import Testing

@testable import NetIO

@Suite struct TCPTests {
    @Test func echoOverLoopback() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let server = Task {
            let connection = try await listener.accept()
            let bytes = try await connection.read(maxBytes: 100, deadline: .after(Patience.deadline))
            try await connection.write(bytes + bytes, deadline: .after(Patience.deadline))
            await connection.close()
        }
        let client = try await TCPConnection.connect(
            host: "127.0.0.1", port: listener.port, deadline: .after(Patience.deadline))
        try await client.write(Array("ping".utf8), deadline: .after(Patience.deadline))
        var received: [UInt8] = []
        while received.count < 8 {
            let chunk = try await client.read(maxBytes: 100, deadline: .after(Patience.deadline))
            if chunk.isEmpty { break }
            received += chunk
        }
        #expect(String(decoding: received, as: UTF8.self) == "pingping")
        #expect(try await client.read(maxBytes: 100, deadline: .after(Patience.deadline)).isEmpty)
        try await server.value
    }

    @Test func readTimesOutAtItsDeadline() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try await TCPConnection.connect(
            host: "127.0.0.1", port: listener.port, deadline: .after(Patience.deadline))
        let start = Deadline.now
        await #expect(throws: NetError.timeout(operation: "read")) {
            _ = try await client.read(maxBytes: 10, deadline: .after(.milliseconds(200)))
        }
        // Not early; and the error says the deadline ended it. The upper bound only catches a read
        // that ignores its deadline, so it is as wide as the patience for anything that must happen.
        let elapsed = Deadline.now.seconds(since: start)
        #expect(elapsed >= 0.19 && elapsed < Patience.deadline.secondsDouble)
    }

    @Test func refusedConnectionSaysSo() async throws {
        let refused = try RefusedPort()
        let port = refused.address.port
        await #expect(throws: NetError.connectionRefused(address: "127.0.0.1:\(port)")) {
            _ = try await TCPConnection.connect(host: "127.0.0.1", port: port, deadline: .after(Patience.deadline))
        }
    }

    @Test func localhostResolvesOffThePool() async throws {
        let addresses = try await Resolver.shared.resolve(
            host: "localhost", port: 80, deadline: .after(Patience.deadline))
        #expect(addresses.contains { $0.host == "127.0.0.1" || $0.host == "::1" })
    }

    @Test func cancellingAWaitingReadEndsIt() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try await TCPConnection.connect(
            host: "127.0.0.1", port: listener.port, deadline: .after(Patience.deadline))
        let reader = Task { try await client.read(maxBytes: 10, deadline: .after(Patience.deadline)) }
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
    /// made meanwhile succeeds while every one of them still waits. Their reads end only at the
    /// deadline or when cancelled, so a connect that had to wait for them would find them ended.
    @Test func manyHungReadsDoNotBlockOtherWork() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let reading = Counter()
        let ended = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask {
                    let client = try await TCPConnection.connect(
                        host: "127.0.0.1", port: listener.port, deadline: .after(Patience.deadline))
                    reading.add()
                    _ = try? await client.read(maxBytes: 10, deadline: .after(Patience.deadline))
                    ended.add()
                }
            }
            try await eventually { reading.value == 200 }
            let probe = try await TCPConnection.connect(
                host: "127.0.0.1", port: listener.port, deadline: .after(Patience.deadline))
            await probe.close()
            let endedBeforeTheConnect = ended.value
            #expect(endedBeforeTheConnect == 0, "a connect waited for the hung reads")
            group.cancelAll()
            try await group.waitForAll()
        }
        let endedInAll = ended.value
        #expect(endedInAll == 200)
    }

    @Test func abortResetsThePeer() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try await TCPConnection.connect(
            host: "127.0.0.1", port: listener.port, deadline: .after(Patience.deadline))
        var server: TCPConnection? = try await listener.accept()
        try await client.write(Array("x".utf8), deadline: .after(Patience.deadline))
        server?.abort()
        server = nil
        await #expect(throws: NetError.reset) {
            _ = try await client.read(maxBytes: 10, deadline: .after(Patience.deadline))
        }
    }
}
