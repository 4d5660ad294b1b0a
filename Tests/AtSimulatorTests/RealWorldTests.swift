import AtSimulator
import AtStatus
import NetIO
import TestSupport
import Testing

/// The simulator's real world: latency, stalls and NAT drops, each as a client sees it.
@Suite(.timeLimit(.minutes(1))) struct RealWorldTests {
    let fleet: [AtSign: Scenario] = [atSign("@alice"): .activated]

    func start(root: LinkConditions = .loopback, servers: LinkConditions = .loopback) async throws -> Simulator {
        try await Simulator.start(scenarios: fleet, rootLink: root, serverLink: servers)
    }

    @Test func theRootWaitsBeforeTheHandshakeAndEveryAnswer() async throws {
        try await withStarted(
            try await start(
                root: LinkConditions(replyLatency: .milliseconds(300), handshakeLatency: .milliseconds(200))),
            stop: { await $0.shutdown() }
        ) { simulator in
            let start = Deadline.now
            let client = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            #expect(Deadline.now.seconds(since: start) >= 0.2)
            _ = try await client.read(until: "@")
            let asked = Deadline.now
            try await client.send("alice\n")
            #expect(try await client.read(until: "\r\n@").hasPrefix("127.0.0.1:"))
            #expect(Deadline.now.seconds(since: asked) >= 0.3)
        }
    }

    @Test func anAtServerWaitsBeforeTheHandshakeAndEveryReply() async throws {
        try await withStarted(
            try await start(
                servers: LinkConditions(replyLatency: .milliseconds(200), handshakeLatency: .milliseconds(200))),
            stop: { await $0.shutdown() }
        ) { simulator in
            let address = try #require(simulator.serverAddress(of: atSign("@alice")))
            let start = Deadline.now
            let client = try await RawClient.connect(to: address, caPEM: simulator.caPEM)
            #expect(Deadline.now.seconds(since: start) >= 0.2)
            _ = try await client.read(until: "@")
            let asked = Deadline.now
            try await client.send("scan\n")
            #expect(try await client.read(until: "\n@").hasPrefix("data:"))
            #expect(Deadline.now.seconds(since: asked) >= 0.2)
        }
    }

    @Test func aStalledRootCompletesHandshakesButSaysNothingUntilTheStallEnds() async throws {
        try await withStarted(try await start(), stop: { await $0.shutdown() }) { simulator in
            simulator.stallRoot(for: .milliseconds(600))
            let start = Deadline.now
            let client = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            #expect(try await client.read(until: "@") == "@")
            #expect(Deadline.now.seconds(since: start) >= 0.55)
            #expect(simulator.rootCounters.handshakes == 1)
        }
    }

    @Test func aRootCanLeaveLookupsUnansweredWithoutClosing() async throws {
        try await withStarted(try await start(), stop: { await $0.shutdown() }) { simulator in
            simulator.stallRoot(lookups: 1)
            let silent = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            _ = try await silent.read(until: "@")
            try await silent.send("alice\n")
            #expect(await silent.readToEnd(timeout: .milliseconds(300)).end == .timeout)
            let next = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            _ = try await next.read(until: "@")
            try await next.send("alice\n")
            #expect(try await next.read(until: "\r\n@").hasPrefix("127.0.0.1:"))
        }
    }

    @Test func aNATDropsAnIdleRootFlowSilently() async throws {
        try await withStarted(
            try await start(root: LinkConditions(idleDrop: .milliseconds(100))), stop: { await $0.shutdown() }
        ) { simulator in
            let client = try await RawClient.connect(to: simulator.rootAddress, caPEM: simulator.caPEM)
            _ = try await client.read(until: "@")
            try await client.send("alice\n")
            _ = try await client.read(until: "\r\n@")
            try await eventually { simulator.natDrops == 1 }
            try await client.send("alice\n")
            let outcome = await client.readToEnd(timeout: .milliseconds(400))
            #expect(outcome.bytes.isEmpty && outcome.end == .timeout, "no reply, no FIN, no RST")
            #expect(simulator.rootCounters.openConnections == 1)
        }
    }

    @Test func aNATDropsAnIdleAtServerFlowSilently() async throws {
        try await withStarted(
            try await start(servers: LinkConditions(idleDrop: .milliseconds(100))), stop: { await $0.shutdown() }
        ) { simulator in
            let address = try #require(simulator.serverAddress(of: atSign("@alice")))
            let client = try await RawClient.connect(to: address, caPEM: simulator.caPEM)
            _ = try await client.read(until: "@")
            try await client.send("scan\n")
            _ = try await client.read(until: "\n@")
            try await eventually { simulator.natDrops == 1 }
            try await client.send("scan\n")
            let outcome = await client.readToEnd(timeout: .milliseconds(400))
            #expect(outcome.bytes.isEmpty && outcome.end == .timeout)
        }
    }

    @Test func realWorldFlags() throws {
        let options = try SimulatorOptions.parse([
            "--root-latency", "400ms", "--root-handshake-latency=800ms", "--server-latency", "50ms",
            "--server-handshake-latency", "100ms", "--nat-idle-drop", "30s", "--root-stall", "10s:5s",
            "--root-stall-lookups", "3",
        ])
        let fleet = try options.fleet()
        #expect(
            fleet.rootLink
                == LinkConditions(
                    replyLatency: .milliseconds(400), handshakeLatency: .milliseconds(800), idleDrop: .seconds(30)))
        #expect(
            fleet.serverLink
                == LinkConditions(
                    replyLatency: .milliseconds(50), handshakeLatency: .milliseconds(100), idleDrop: .seconds(30)))
        #expect(options.rootStall?.start == .seconds(10) && options.rootStall?.length == .seconds(5))
        #expect(options.rootStallLookups == 3)
        #expect(fleet.rootLink.description == "latency=400ms handshake=800ms nat-idle-drop=30s")
        #expect(LinkConditions.loopback.description == "loopback")
        #expect(SimulatorOptions.usage.contains("--nat-idle-drop"))
    }

    @Test func badRealWorldFlagsAreNamed() {
        let cases: [([String], String)] = [
            (["--root-latency", "soon"], "--root-latency: \"soon\" is not a duration"),
            (["--nat-idle-drop", "0s"], "--nat-idle-drop: \"0s\" must be longer than 0"),
            (["--root-stall", "10s"], "--root-stall: \"10s\" is not START:LENGTH"),
            (["--root-stall-lookups", "-1"], "--root-stall-lookups: \"-1\" is not a count"),
            (["--root-mode", "odd"], "bad-greeting"),
        ]
        for (arguments, message) in cases {
            #expect(throws: UsageError.self, "\(arguments)") { try SimulatorOptions.parse(arguments) }
            do {
                _ = try SimulatorOptions.parse(arguments)
            } catch {
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
    }
}
