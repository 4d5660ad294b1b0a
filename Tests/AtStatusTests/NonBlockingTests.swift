import AtSimulator
import AtStatus
import NetIO
import TestSupport
import Testing

/// The cooperative pool has two threads here: if any wait blocked one, hung peers would starve
/// everything else. Two hundred probes of hung atServers must end at their deadline together,
/// while a probe of an activated atSign started alongside answers at once.
@Suite(.timeLimit(.minutes(1))) struct NonBlockingTests {
    @Test func hungAtServersDoNotStarveOtherProbes() async throws {
        var scenarios: [AtSign: Scenario] = [try AtSign("@quick"): .activated]
        let hung = try (0..<200).map { try AtSign("@hung\($0)") }
        for atSign in hung { scenarios[atSign] = .hung }
        try await withStarted(try await Simulator.start(scenarios: scenarios), stop: { await $0.shutdown() }) {
            simulator in
            let context = try TLSContext.client(caPEM: simulator.caPEM, trustSystemStore: false)
            let checker = StatusChecker(
                configuration: .init(root: try RootAddress(parsing: simulator.rootAddress), timeout: .seconds(6)),
                context: context)
            let start = Deadline.now
            try await withThrowingTaskGroup(of: ProbeResult.self) { group in
                for atSign in hung { group.addTask { await checker.check(atSign) } }
                // Fixed: lets the hung checks occupy their connections before the quick one starts.
                try await Task.sleep(for: .milliseconds(300))
                let quickStart = Deadline.now
                let quick = await checker.check(try AtSign("@quick"))
                #expect(quick.atSignStatus == .activated)
                #expect(Deadline.now.seconds(since: quickStart) < 4)
                for try await result in group {
                    #expect(result.atSignStatus == .unavailable && result.failure?.reason == .timeout)
                }
            }
            let elapsed = Deadline.now.seconds(since: start)
            #expect(elapsed >= 6 && elapsed < 12, "200 hung probes took \(elapsed) s")
        }
    }
}
