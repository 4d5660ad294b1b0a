import AtStatus
import Foundation
import Glibc
import NetIO
import TestSupport
import Testing

@testable import AtSimulator

/// The simulator's DNS responder answered over real UDP, one query at a time.
@Suite(.timeLimit(.minutes(1))) struct DNSResponderTests {
    /// A standard query for `name` of `type` (1 = A, 28 = AAAA) with id 0x1234 and RD set.
    private func query(_ name: String, type: UInt16) -> [UInt8] {
        var bytes: [UInt8] = [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in name.split(separator: ".") { bytes += [UInt8(label.utf8.count)] + Array(label.utf8) }
        return bytes + [0, UInt8(type >> 8), UInt8(type & 0xFF), 0, 1]
    }

    private struct Reply {
        let responseCode: UInt8
        let answers: Int
        /// The record data of each answer, in order.
        let records: [[UInt8]]
    }

    /// Sends one query to `responder` and waits (off the pool, patiently) for its reply.
    private func ask(_ responder: DNSResponder, _ name: String, type: UInt16 = 1) async throws -> Reply {
        let bytes = query(name, type: type)
        let port = responder.port
        let reply = try await TestSupportUDP.exchange(bytes, port: port)
        let answers = Int(reply[6]) << 8 | Int(reply[7])
        var records: [[UInt8]] = []
        var offset = bytes.count
        for _ in 0..<answers {
            let length = Int(reply[offset + 10]) << 8 | Int(reply[offset + 11])
            records.append(Array(reply[offset + 12..<offset + 12 + length]))
            offset += 12 + length
        }
        #expect(reply[0] == 0x12 && reply[1] == 0x34 && reply[2] & 0x80 != 0)
        return Reply(responseCode: reply[3] & 0x0F, answers: answers, records: records)
    }

    @Test func namesInTheZoneHaveTheirAddresses() async throws {
        let responder = try DNSResponder(zone: "sim.test", addresses: ["127.0.0.1", "::1"])
        defer { responder.stop() }
        let a = try await ask(responder, "Alice.SIM.test")
        #expect(a.responseCode == 0 && a.records == [[127, 0, 0, 1]])
        let aaaa = try await ask(responder, "root.sim.test", type: 28)
        #expect(aaaa.responseCode == 0 && aaaa.records == [Array(repeating: 0, count: 15) + [1]])
        let outside = try await ask(responder, "example.org")
        #expect(outside.responseCode == 3 && outside.answers == 0)
    }

    @Test func modesFailOrDelayEveryAnswer() async throws {
        let responder = try DNSResponder(zone: "sim.test", addresses: ["127.0.0.1"], mode: .serverFailure)
        defer { responder.stop() }
        #expect(try await ask(responder, "alice.sim.test").responseCode == 2)
        responder.setMode(.noSuchName)
        #expect(try await ask(responder, "alice.sim.test").responseCode == 3)
        responder.setMode(.slow(.milliseconds(300)))
        let start = Date()
        #expect(try await ask(responder, "alice.sim.test").records == [[127, 0, 0, 1]])
        #expect(Date().timeIntervalSince(start) >= 0.29)
    }

    @Test func modeNamesParseAndBadOnesAreNamed() throws {
        #expect(try DNSMode(name: "slow:100ms") == .slow(.milliseconds(100)))
        #expect(try DNSMode(name: "servfail") == .serverFailure)
        #expect(try DNSMode(name: "nxdomain") == .noSuchName)
        #expect(throws: UsageError("DNS mode \"slow\" is not normal, slow:DURATION, servfail or nxdomain")) {
            try DNSMode(name: "slow")
        }
    }

    @Test func theRootHandsOutNamesWhenAskedTo() async throws {
        let alice = try AtSign("@alice")
        let odd = try AtSign("@ällö")
        let names = try SimulatedNames(domain: "Sim.Test.")
        let simulator = try await Simulator.start(
            fleet: Fleet(entries: [
                FleetEntry(atSign: alice, scenario: .activated), FleetEntry(atSign: odd, scenario: .activated),
            ]),
            names: names)
        try await withStarted(simulator, stop: { await $0.shutdown() }) { simulator in
            #expect(simulator.rootAddress == "root.sim.test:\(simulator.rootPort)")
            #expect(simulator.serverAddress(of: alice)?.hasPrefix("alice.sim.test:") == true)
            let label = SimulatedNames.label(for: odd)
            #expect(label.hasPrefix("x") && simulator.serverAddress(of: odd)?.hasPrefix("\(label).sim.test:") == true)
            #expect(throws: UsageError.self) { try SimulatedNames(domain: "bad_domain..test") }
        }
    }

    @Test func dnsFlagsParse() throws {
        let options = try SimulatorOptions.parse(["--dns.listen", "127.0.0.1:5353", "--dns.mode=slow:100ms"])
        #expect(options.dnsListen == ServerAddress(host: "127.0.0.1", port: 5353))
        #expect(options.names?.domain == "sim.test" && options.dnsMode == .slow(.milliseconds(100)))
        let listed = try SimulatorOptions.parse(["--dns.listen=127.0.0.1:53", "--dns.addresses=127.0.0.1,::1"])
        #expect(listed.dnsAddresses == ["127.0.0.1", "::1"])
        #expect(throws: UsageError("--dns.addresses: \"sim.test\" is not a numeric IP address")) {
            try SimulatorOptions.parse(["--dns.listen=127.0.0.1:53", "--dns.addresses=127.0.0.1,sim.test"])
        }
        #expect(throws: UsageError("--dns.mode needs --dns.listen")) {
            try SimulatorOptions.parse(["--dns.mode", "nxdomain"])
        }
    }
}

/// One UDP request and its reply on loopback, blocking a thread of its own (not the pool).
enum TestSupportUDP {
    struct NoReply: Error {}

    static func exchange(_ bytes: [UInt8], port: Int) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try exchangeBlocking(bytes, port: port) })
            }.start()
        }
    }

    private static func exchangeBlocking(_ bytes: [UInt8], port: Int) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: Int(Patience.deadline.components.seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let address = SocketAddress(numericHost: "127.0.0.1", port: port)!
        _ = address.withSockaddr { sendto(fd, bytes, bytes.count, 0, $0, $1) }
        var buffer = [UInt8](repeating: 0, count: 1500)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0 else { throw NoReply() }
        return Array(buffer[0..<count])
    }
}
