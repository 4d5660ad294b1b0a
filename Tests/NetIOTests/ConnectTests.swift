import CSystem
import Glibc
import TestSupport
import Testing

@testable import NetIO

@Suite struct ConnectTests {
    /// A write wake-up while the SYN is unanswered is not a connection: the connect keeps waiting
    /// and times out at its deadline (it used to return a "connected" socket at once).
    @Test func spuriousWakeUpsDuringConnectAreNotAConnection() async throws {
        let blackhole = try await Blackhole()
        let connection = try TCPConnection(socketFor: blackhole.address)
        let attempt = Task { try await connection.connect(to: blackhole.address, deadline: .after(.seconds(1))) }
        let waker = Task {
            // Fake wake-ups every 10 ms until the attempt ends: the cadence, not a wait for an event.
            while !Task.isCancelled {
                Reactor.shared.wakeSpuriously(fd: connection.fd, for: .write)
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        defer { waker.cancel() }
        await #expect(throws: NetError.timeout(operation: "connect to \(blackhole.address)")) {
            try await attempt.value
        }
    }

    @Test func aConnectSurvivesSpuriousWakeUpsAndStillConnects() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let connection = try TCPConnection(socketFor: listener.address)
        Reactor.shared.wakeSpuriously(fd: connection.fd, for: .write)
        try await connection.connect(to: listener.address, deadline: .after(Patience.deadline))
        #expect(csystem_is_connected(connection.fd) == 1)
    }

    /// close() racing accept(): the pending accept ends with `.closed`, never with an error from
    /// a descriptor number closed under it (or, worse, reused by the next listener).
    @Test func closingAListenerWhileItAcceptsEndsTheAcceptCleanly() async throws {
        for _ in 0..<200 {
            let listener = try TCPListener(host: "127.0.0.1", port: 0)
            let acceptor = Task { try await listener.accept() }
            await Task.yield()
            listener.close()
            let next = try TCPListener(host: "127.0.0.1", port: 0)
            defer { next.close() }
            // An accept left waiting on a reused descriptor would hang: cancel it loudly instead.
            let watchdog = Task {
                try await Task.sleep(for: Patience.deadline)
                acceptor.cancel()
            }
            defer { watchdog.cancel() }
            await #expect(throws: NetError.closed) { _ = try await acceptor.value }
        }
    }

    /// close() frees the port even while the object (and so its descriptor) lives on.
    @Test func aClosedListenersPortCanBeListenedOnAgain() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        listener.close()
        let again = try TCPListener(host: "127.0.0.1", port: listener.port)
        defer { again.close() }
        #expect(again.port == listener.port)
    }

    @Test func aClosedListenerRefusesNewConnections() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        listener.close()
        await #expect(throws: NetError.connectionRefused(address: listener.address.description)) {
            _ = try await TCPConnection.connect(to: listener.address, deadline: .after(Patience.deadline))
        }
    }
}
