import AtSimulator
import AtStatus
import NetIO
import TestSupport
import Testing

/// The cooperative pool has two threads here: if any wait blocked one, hung peers would starve
/// everything else. Two hundred probes of hung atServers must end at their deadline together,
/// while a probe of an activated atSign started alongside answers before any of them ends.
@Suite(.timeLimit(.minutes(1))) struct NonBlockingTests {
    /// The hung probes' deadline: longer than a quick probe ever took while the whole suite ran
    /// at once (under 10 s), so "answered before any hung probe ended" is about blocking, not load.
    static let hungTimeout = Duration.seconds(15)

    @Test func hungAtServersDoNotStarveOtherProbes() async throws {
        var scenarios: [AtSign: Scenario] = [try AtSign("@quick"): .activated]
        let hung = try (0..<200).map { try AtSign("@hung\($0)") }
        for atSign in hung { scenarios[atSign] = .hung }
        try await withStarted(try await Simulator.start(scenarios: scenarios), stop: { await $0.shutdown() }) {
            simulator in
            let context = try TLSContext.client(caPEM: simulator.caPEM, trustSystemStore: false)
            let root = try RootAddress(parsing: simulator.rootAddress)
            let checker = StatusChecker(configuration: .init(root: root, timeout: Self.hungTimeout), context: context)
            let patient = StatusChecker(configuration: .init(root: root, timeout: Patience.deadline), context: context)
            let ended = Counter()
            let start = Deadline.now
            try await withThrowingTaskGroup(of: ProbeResult.self) { group in
                for atSign in hung {
                    group.addTask {
                        defer { ended.add() }
                        return await checker.check(atSign)
                    }
                }
                // Every hung check has its atServer's address before the quick one starts.
                try await eventually { simulator.rootCounters.lookups >= hung.count }
                let quick = await patient.check(try AtSign("@quick"))
                #expect(quick.atSignStatus == .activated)
                #expect(ended.value == 0, "the quick probe waited for hung ones to end")
                for try await result in group {
                    #expect(result.atSignStatus == .unavailable && result.failure?.reason == .timeout)
                }
            }
            // Together, not one after another: serialised they would take 200 times as long.
            let elapsed = Deadline.now.seconds(since: start)
            let timeout = Double(Self.hungTimeout.components.seconds)
            #expect(elapsed >= timeout && elapsed < 2 * timeout, "200 hung probes took \(elapsed) s")
        }
    }
}
