import AtSimulator
import AtStatus
import NetIO
import TestSupport
import Testing

/// The simulator against the real checker: each scenario must produce the statuses PROTOCOL.md
/// §4 gives it, or the simulator is not testing what it claims to.
@Suite struct CheckerContractTests {
    /// Hung peers only end by the deadline, so they get a short one; the rest get a patient one,
    /// so a loaded machine (the `huge` reply is 8 MiB of TLS) cannot turn an answer into a timeout.
    func probe(_ scenario: Scenario, rootMode: RootMode = .normal) async throws -> ProbeResult {
        let timeout: Duration = rootMode == .hung ? .seconds(6) : Patience.deadline
        var result: ProbeResult?
        try await withSimulator(["@alice": scenario], rootMode: rootMode) { simulator in
            let context = try TLSContext.client(caPEM: simulator.caPEM, trustSystemStore: false)
            let root = try RootAddress(parsing: simulator.rootAddress)
            let checker = StatusChecker(configuration: .init(root: root, timeout: timeout), context: context)
            guard scenario == .hung else { return result = await checker.check(atSign("@alice")) }
            result = await probeHungServer(checker, context: context)
        }
        return try #require(result)
    }

    /// The checker's two steps one after the other, each with its own deadline: the root lookup,
    /// which must succeed, a patient one; the hung atServer's check, which must time out, a short
    /// one. One short deadline for both would let a busy machine time out the root lookup first.
    func probeHungServer(_ checker: StatusChecker, context: TLSContext) async -> ProbeResult {
        let alice = atSign("@alice")
        let lookup = await checker.root.lookup(alice, deadline: .after(Patience.deadline))
        var result = ProbeResult(
            status: ProbeStatus(atSign: alice, rootStatus: lookup.status, serverStatus: .unavailable))
        result.failure = lookup.failure
        guard let location = lookup.location else { return result }
        let check = await AtServerClient(context: context).check(
            alice, at: location, viaProxy: false, deadline: .after(.seconds(6)))
        result.status.serverStatus = check.status
        result.failure = check.failure
        return result
    }

    @Test(arguments: [
        (Scenario.activated, RootStatus.found, ServerStatus.activated, AtSignStatus.activated),
        (.ready, .found, .ready, .teapot),
        (.teapot, .found, .teapot, .teapot),
        (.notFound, .notFound, .unavailable, .notFound),
        (.stopped, .found, .stopped, .unavailable),
        (.hung, .found, .unavailable, .unavailable),
        (.garbage, .found, .error, .error),
        (.garbageThenClose, .found, .error, .error),
        (.errorReply, .found, .error, .error),
        (.slow(.milliseconds(100)), .found, .activated, .activated),
        (.wrongHost, .found, .unavailable, .unavailable),
        (.expired, .found, .unavailable, .unavailable),
        (.huge, .found, .error, .error),
        (.reset, .found, .unavailable, .unavailable),
        (.invalidUTF8, .found, .error, .error),
    ])
    func scenarioGivesItsStatus(
        scenario: Scenario, root: RootStatus, server: ServerStatus, status: AtSignStatus
    ) async throws {
        let result = try await probe(scenario)
        #expect(result.status.rootStatus == root, "\(scenario): \(String(describing: result.failure))")
        #expect(
            result.status.serverStatus == server,
            "\(scenario): \(String(describing: result.failure)) \(result.durationSeconds)s")
        #expect(result.atSignStatus == status)
    }

    /// The longest atSign `AtSign` accepts is one the root still answers for (PROTOCOL.md §1).
    @Test(arguments: [String(repeating: "a", count: 254), String(repeating: "🦄", count: 127)])
    func theLongestAtSignIsLookedUp(name: String) async throws {
        let longest = try AtSign(name)
        try await withSimulator([longest.name: .activated]) { simulator in
            let context = try TLSContext.client(caPEM: simulator.caPEM, trustSystemStore: false)
            let root = try RootAddress(parsing: simulator.rootAddress)
            let checker = StatusChecker(configuration: .init(root: root, timeout: Patience.deadline), context: context)
            let result = await checker.check(longest)
            #expect(result.atSignStatus == .activated, "\(String(describing: result.failure))")
        }
    }

    @Test(arguments: [
        (RootMode.down, RootStatus.stopped),
        (.hung, .unavailable),
        (.garbage, .error),
        (.stopping, .stopped),
    ])
    func rootModeGivesItsRootStatus(mode: RootMode, root: RootStatus) async throws {
        let result = try await probe(.activated, rootMode: mode)
        #expect(result.status.rootStatus == root, "\(mode): \(String(describing: result.failure))")
    }
}

@Suite struct GeneratedFleetTests {
    @Test func aGeneratedFleetServesEveryAtSign() async throws {
        let fleet = Fleet.generate(count: 500, mix: try Fleet.parseMix("activated=4,teapot=1"))
        let simulator = try await Simulator.start(fleet: fleet)
        let context = try TLSContext.client(caPEM: simulator.caPEM, trustSystemStore: false)
        let root = try RootAddress(parsing: simulator.rootAddress)
        let checker = StatusChecker(configuration: .init(root: root, timeout: Patience.deadline), context: context)
        for entry in fleet.entries.prefix(5) + fleet.entries.suffix(5) {
            let expected: AtSignStatus = entry.scenario == .activated ? .activated : .teapot
            let result = await checker.check(entry.atSign)
            #expect(result.atSignStatus == expected, "\(entry.atSign): \(String(describing: result.failure))")
        }
        await simulator.shutdown()
    }
}
