import AtSimulator
import AtStatus
import NetIO
import TestSupport
import Testing

@Suite struct SimulatedRootTests {
    let fleet: [String: Scenario] = ["@alice": .activated, "@bob": .notFound]

    @Test func answersFoundAndNullOnOneConnection() async throws {
        try await withSimulator(fleet) { simulator in
            let client = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            #expect(try await client.read(until: "@") == "@")
            try await client.send("alice\n")
            let location = try #require(simulator.serverAddress(of: atSign("@alice")))
            #expect(location.hasPrefix("127.0.0.1:"))
            #expect(try await client.read(until: "\r\n@") == "\(location)\r\n@")
            try await client.send("bob\n")
            #expect(try await client.read(until: "\r\n@") == "null\r\n@")
            try await client.send("@alice\n")
            #expect(try await client.read(until: "\r\n@") == "\(location)\r\n@")
            #expect(simulator.rootCounters.handshakes == 1)
            #expect(simulator.rootCounters.lookups == 3)
            try await client.send("@exit\n")
            #expect(await client.readToEnd().end == .closed)
        }
    }

    /// The second and third miss wait the delay, the third is not answered; that the first does
    /// not wait is `aNewConnectionStartsWithAFreshMissCount`'s, which proves it without a clock.
    @Test func rateLimitsMissesPerConnection() async throws {
        try await withSimulator(fleet, delay: .seconds(1)) { simulator in
            let client = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            _ = try await client.read(until: "@")
            try await client.send("nobody\n")
            #expect(try await client.read(until: "\r\n@") == "null\r\n@")
            var start = Deadline.now
            try await client.send("nobody\n")
            #expect(try await client.read(until: "\r\n@") == "null\r\n@")
            #expect(Deadline.now.seconds(since: start) >= 1.0)
            start = Deadline.now
            try await client.send("nobody\n")
            let third = await client.readToEnd()
            #expect(third.bytes.isEmpty)
            #expect(third.end == .closed)
            #expect(Deadline.now.seconds(since: start) >= 1.0)
        }
    }

    /// Each connection's first miss is answered at once: the delay outlasts the read's patience,
    /// so a delayed answer would be no answer.
    @Test func aNewConnectionStartsWithAFreshMissCount() async throws {
        try await withSimulator(fleet, delay: Patience.deadline * 2) { simulator in
            for _ in 0..<2 {
                let client = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
                _ = try await client.read(until: "@")
                try await client.send("nobody\n")
                #expect(try await client.read(until: "\r\n@") == "null\r\n@")
                await client.close()
            }
        }
    }

    /// The root's buffer holds 255 UTF-16 code units, the newline included.
    @Test(arguments: [String(repeating: "a", count: 256), String(repeating: "a", count: 255) + "\n"])
    func dropsALineOver255UnitsWithoutReply(line: String) async throws {
        try await withSimulator(fleet) { simulator in
            let client = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            _ = try await client.read(until: "@")
            try await client.send(line)
            let outcome = await client.readToEnd()
            #expect(outcome.bytes.isEmpty)
            #expect(outcome.end == .closed || outcome.end == .reset)
        }
    }

    /// 254 units and the newline fit, however many UTF-8 bytes they take (127 emoji: 508).
    @Test(arguments: [String(repeating: "a", count: 254), String(repeating: "🦄", count: 127)])
    func acceptsA254UnitKey(key: String) async throws {
        try await withSimulator(fleet) { simulator in
            let client = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            _ = try await client.read(until: "@")
            try await client.send(key + "\n")
            #expect(try await client.read(until: "\r\n@") == "null\r\n@")
        }
    }

    @Test func accumulatesAKeySplitOverWrites() async throws {
        try await withSimulator(fleet) { simulator in
            let client = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            _ = try await client.read(until: "@")
            try await client.send("al")
            // A pause between the halves of a line: the root must reassemble what arrives in parts.
            try await Task.sleep(for: .milliseconds(50))
            try await client.send("ice")
            try await Task.sleep(for: .milliseconds(50))
            try await client.send("\n")
            let location = try #require(simulator.serverAddress(of: atSign("@alice")))
            #expect(try await client.read(until: "\r\n@") == "\(location)\r\n@")
        }
    }

    @Test func twoPipelinedLinesAreOneBogusKey() async throws {
        try await withSimulator(fleet) { simulator in
            let client = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            _ = try await client.read(until: "@")
            try await client.send("alice\nalice\n")
            #expect(try await client.read(until: "\r\n@") == "null\r\n@")
        }
    }
}
