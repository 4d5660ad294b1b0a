import AtSimulator
import AtStatus
import Foundation
import NetIO
import TestSupport
import Testing

@Suite struct SimulatedAtServerTests {
    /// Connects to `name`'s atServer and reads its prompt.
    func session(_ simulator: Simulator, _ name: String, serverName: String = "127.0.0.1") async throws -> RawClient {
        let address = try #require(simulator.serverAddress(of: atSign(name)))
        let client = try await RawClient.connect(to: address, caPEM: simulator.caPEM, serverName: serverName)
        #expect(try await client.read(until: "@") == "@")
        return client
    }

    func ask(_ client: RawClient, _ command: String) async throws -> String {
        try await client.send(command + "\n")
        return try await client.read(until: "\n@")
    }

    @Test func activatedAnswersEveryVerb() async throws {
        try await withSimulator(["@alice": .activated]) { simulator in
            let client = try await session(simulator, "@alice")
            #expect(try await ask(client, "from:@alice").hasPrefix("data:_"))
            #expect(try await ask(client, "scan") == #"data:["publickey@alice","signing_publickey@alice"]"# + "\n@")
            #expect(try await ask(client, "lookup:publickey@alice").hasPrefix("data:MIIBIjANBg"))
            let info = try await ask(client, "info:brief")
            #expect(info.hasPrefix(#"data:{"version":"3.0.52","uptimeAsMillis":"#) && info.hasSuffix("}\n@"))
            #expect(try await ask(client, "lookup:publickey@bob").hasPrefix("error:AT0015-"))
            #expect(try await ask(client, "frobnicate").hasPrefix("error:AT0011-"))
            try await client.send("@exit\n")
            #expect(await client.readToEnd().end == .closed)
        }
    }

    @Test func readyListsTheKeyWithANullValue() async throws {
        try await withSimulator(["@alice": .ready]) { simulator in
            let client = try await session(simulator, "@alice")
            #expect(try await ask(client, "scan").contains("\"publickey@alice\""))
            #expect(try await ask(client, "lookup:publickey@alice") == "data:null\n@")
        }
    }

    @Test func teapotScansEmpty() async throws {
        try await withSimulator(["@alice": .teapot]) { simulator in
            let client = try await session(simulator, "@alice")
            #expect(try await ask(client, "scan") == "data:[]\n@")
        }
    }

    @Test func errorReplyAnswersScanWithAnError() async throws {
        try await withSimulator(["@alice": .errorReply]) { simulator in
            let client = try await session(simulator, "@alice")
            #expect(try await ask(client, "scan") == "error:AT0003-Server error\n@")
        }
    }

    @Test func notFoundHasNoServerAndStoppedRefuses() async throws {
        try await withSimulator(["@gone": .notFound, "@down": .stopped]) { simulator in
            #expect(simulator.serverAddress(of: atSign("@gone")) == nil)
            let address = try #require(simulator.serverAddress(of: atSign("@down")))
            await #expect(throws: NetError.connectionRefused(address: address)) {
                _ = try await TCPConnection.connect(
                    host: "127.0.0.1", port: port(of: address), deadline: .after(Patience.deadline))
            }
        }
    }

    @Test func hungSaysNothingAfterTLS() async throws {
        try await withSimulator(["@alice": .hung]) { simulator in
            let address = try #require(simulator.serverAddress(of: atSign("@alice")))
            let client = try await RawClient.connect(to: address, caPEM: simulator.caPEM)
            #expect(await client.readToEnd(timeout: .milliseconds(300)) == ([], .timeout))
        }
    }

    @Test func garbageSendsAnUnframedReplyThenCloses() async throws {
        try await withSimulator(["@alice": .garbage]) { simulator in
            let client = try await session(simulator, "@alice")
            try await client.send("scan\n")
            let outcome = await client.readToEnd()
            #expect(outcome.end == .closed)
            #expect(outcome.bytes.count == 302 && Array(outcome.bytes.suffix(2)) == Array("\n@".utf8))
            #expect(!outcome.bytes.text.hasPrefix("data:") && !outcome.bytes.text.hasPrefix("error:"))
            #expect(!outcome.bytes.dropLast().contains(UInt8(ascii: "@")))
        }
    }

    @Test func slowWaitsBeforeEachReply() async throws {
        try await withSimulator(["@alice": .slow(.milliseconds(300))]) { simulator in
            let client = try await session(simulator, "@alice")
            let start = Deadline.now
            #expect(try await ask(client, "scan").hasPrefix("data:["))
            #expect(Deadline.now.seconds(since: start) >= 0.3)
        }
    }

    @Test(arguments: [Scenario.wrongHost, .expired])
    func badCertificatesAreRefusedByAVerifyingClient(scenario: Scenario) async throws {
        try await withSimulator(["@alice": scenario]) { simulator in
            let address = try #require(simulator.serverAddress(of: atSign("@alice")))
            await #expect {
                _ = try await RawClient.connect(to: address, caPEM: simulator.caPEM)
            } throws: { error in
                if case NetError.certificate = error { return true }
                return false
            }
        }
    }

    @Test func wrongHostIsFineForItsOwnName() async throws {
        try await withSimulator(["@alice": .wrongHost]) { simulator in
            _ = try await session(simulator, "@alice", serverName: "wrong.example")
        }
    }

    @Test func hugeSendsMoreThanAnyClientLimit() async throws {
        try await withSimulator(["@alice": .huge]) { simulator in
            let client = try await session(simulator, "@alice")
            try await client.send("scan\n")
            let outcome = await client.readToEnd(limit: 9 * 1024 * 1024)
            #expect(outcome.bytes.count >= 9 * 1024 * 1024)
            #expect(Array(outcome.bytes.prefix(7)) == Array(#"data:[""#.utf8))
            #expect(!outcome.bytes.contains(UInt8(ascii: "\n")))
        }
    }

    @Test func resetDropsTheConnectionMidReply() async throws {
        try await withSimulator(["@alice": .reset]) { simulator in
            let client = try await session(simulator, "@alice")
            try await client.send("scan\n")
            let outcome = await client.readToEnd()
            #expect(outcome.end == .reset)
            #expect(!outcome.bytes.text.contains("\n@"))
        }
    }

    @Test func invalidUTF8ScanHoldsBytesThatAreNotUTF8() async throws {
        try await withSimulator(["@alice": .invalidUTF8]) { simulator in
            let client = try await session(simulator, "@alice")
            try await client.send("scan\n")
            let reply = try await client.readBytes(until: Array("\n@".utf8))
            #expect(reply.contains(0xFF))
            #expect(String(validating: reply, as: UTF8.self) == nil)
        }
    }

    @Test func scenarioChangesApplyToTheNextSession() async throws {
        try await withSimulator(["@alice": .activated]) { simulator in
            let address = try #require(simulator.serverAddress(of: atSign("@alice")))
            try simulator.setScenario(.stopped, for: atSign("@alice"))
            #expect(simulator.serverAddress(of: atSign("@alice")) == address)
            await #expect(throws: NetError.self) {
                _ = try await RawClient.connect(to: address, caPEM: simulator.caPEM)
            }
            try simulator.setScenario(.teapot, for: atSign("@alice"))
            #expect(simulator.scenario(of: atSign("@alice")) == .teapot)
            let client = try await session(simulator, "@alice")
            #expect(try await ask(client, "scan") == "data:[]\n@")
            try simulator.setScenario(.activated, for: atSign("@new"))
            #expect(simulator.serverAddress(of: atSign("@new")) != nil)
        }
    }
}

@Suite struct StoppedPortTests {
    @Test func stoppedPortsAreOutsideTheEphemeralRangeAndDistinctFromServers() async throws {
        var scenarios: [String: Scenario] = [:]
        for index in 0..<20 { scenarios["@up\(index)"] = .activated }
        for index in 0..<20 { scenarios["@down\(index)"] = .stopped }
        try await withSimulator(scenarios) { simulator in
            let up = Set((0..<20).map { port(of: simulator.serverAddress(of: atSign("@up\($0)"))!) })
            let down = (0..<20).map { port(of: simulator.serverAddress(of: atSign("@down\($0)"))!) }
            #expect(up.isDisjoint(with: down))
            let range = try String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)
            let ephemeralLow = try #require(Int(range.split(whereSeparator: \.isWhitespace)[0]))
            #expect(down.allSatisfy { $0 < ephemeralLow })
        }
    }
}
