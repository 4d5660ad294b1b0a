import AtSimulator
import AtStatus
import Glibc
import NetIO
import TestSupport
import Testing

@Suite struct RootModeTests {
    let fleet: [String: Scenario] = ["@alice": .activated]

    @Test func downRefusesConnections() async throws {
        try await withSimulator(fleet, rootMode: .down) { simulator in
            await #expect(throws: NetError.connectionRefused(address: simulator.rootAddress)) {
                _ = try await TCPConnection.connect(
                    host: "127.0.0.1", port: simulator.rootPort, deadline: .after(Patience.deadline))
            }
        }
    }

    @Test func hungCompletesTLSThenSaysNothing() async throws {
        try await withSimulator(fleet, rootMode: .hung) { simulator in
            let client = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            try await client.send("alice\n")
            let outcome = await client.readToEnd(timeout: .milliseconds(300))
            #expect(outcome.bytes.isEmpty)
            #expect(outcome.end == .timeout)
            #expect(simulator.rootCounters.handshakes == 1)
        }
    }

    @Test func garbageAnswersSomethingThatIsNotAnAddress() async throws {
        try await withSimulator(fleet, rootMode: .garbage) { simulator in
            let client = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            #expect(try await client.read(until: "@") == "@")
            try await client.send("alice\n")
            #expect(try await client.read(until: "\r\n@") == "this is not an address\r\n@")
        }
    }

    @Test func stoppingSendsATextLineInsteadOfThePromptAndCloses() async throws {
        try await withSimulator(fleet, rootMode: .stopping) { simulator in
            let client = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            let outcome = await client.readToEnd()
            #expect(outcome.bytes.text == "Server stop in progress\r\n")
            #expect(outcome.end == .closed)
        }
    }

    @Test func rootGoesDownAndComesBackOnTheSameAddress() async throws {
        try await withSimulator(fleet) { simulator in
            let before = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            _ = try await before.read(until: "@")
            try await simulator.setRootMode(.down)
            #expect(simulator.rootMode == .down)
            #expect(await before.readToEnd().bytes.isEmpty)
            await #expect(throws: NetError.self) {
                _ = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            }
            try await simulator.setRootMode(.normal)
            let after = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            _ = try await after.read(until: "@")
            try await after.send("alice\n")
            #expect(try await after.read(until: "\r\n@").hasPrefix("127.0.0.1:"))
        }
    }

    /// While down, the root's port stays bound (not listening): connects are refused, and a plain
    /// bind, as an outgoing connection's or a port-0 listener's choice of port is, cannot take it
    /// before the root comes back on it.
    @Test func aDownRootKeepsItsPort() async throws {
        try await withSimulator(fleet) { simulator in
            try await simulator.setRootMode(.down)
            #expect(Self.plainBind(port: simulator.rootPort) == EADDRINUSE)
            await #expect(throws: NetError.connectionRefused(address: simulator.rootAddress)) {
                _ = try await TCPConnection.connect(
                    host: "127.0.0.1", port: simulator.rootPort, deadline: .after(Patience.deadline))
            }
            try await simulator.setRootMode(.normal)
            let client = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            #expect(try await client.read(until: "@") == "@")
        }
    }

    /// errno of binding 127.0.0.1:`port` without SO_REUSEADDR, 0 when the bind succeeds.
    static func plainBind(port: Int) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        let address = SocketAddress(numericHost: "127.0.0.1", port: port)!
        return address.withSockaddr { bind(fd, $0, $1) } == 0 ? 0 : errno
    }
}
