import AtSimulator
import AtStatus
import NetIO
import TestSupport
import Testing

@testable import Exporter

/// The exporter against a root far away (issue 9, finding 1): a round at high concurrency comes
/// back correct, and probes that queue for our own root pool never make the root look down.
@Suite(.timeLimit(.minutes(1))) struct DistantRootTests {
    /// Every probe of the round starts at once, as a burst of `/probe` requests would.
    static func burst(_ harness: ExporterHarness) {
        var schedule = harness.service.prober.schedule
        schedule.spread = 0
        schedule.concurrency = 256
        harness.service.prober.update(schedule: schedule)
    }

    /// 100 probes at once against a root 500 ms away: a fixed pool of 16 answered 32 lookups a
    /// second, so a third of them missed the 2.5 s deadline and the root read as down.
    @Test func aBurstAgainstADistantRootIsAllActivatedAndTheRootStaysUp() async throws {
        let fleet = Dictionary(uniqueKeysWithValues: (1...100).map { ("@far\($0)", Scenario.activated) })
        let harness = try await ExporterHarness.start(
            scenarios: fleet, timeout: .milliseconds(2500), rootLink: LinkConditions(replyLatency: .milliseconds(500)))
        defer { Task { await harness.stop() } }
        Self.burst(harness)
        await harness.service.prober.runRound()
        let metrics = MetricsText(body: try await harness.request("/metrics").body)
        #expect(metrics.rootUp == 1)
        let wrong = fleet.keys.filter { metrics.status(of: $0) != "activated" }
        #expect(
            wrong.isEmpty,
            "\(wrong.count) not activated, e.g. \(wrong.first.map { metrics.failureReason(of: $0) ?? "" } ?? "")")
    }

    @Test func probesThatTimeOutQueuedForTheRootPoolAreRootWaitAndTheRootStaysUp() async throws {
        let fleet = Dictionary(uniqueKeysWithValues: (1...6).map { ("@queued\($0)", Scenario.activated) })
        let harness = try await ExporterHarness.start(
            scenarios: fleet, arguments: ["--root.max-connections", "1"], timeout: .seconds(2),
            rootLink: LinkConditions(replyLatency: .milliseconds(600)))
        defer { Task { await harness.stop() } }
        Self.burst(harness)
        await harness.service.prober.runRound()
        let records = harness.service.store.snapshot.records.values
        let queued = records.compactMap(\.result?.failure).filter { $0.phase == .rootWait }
        #expect(!queued.isEmpty, "one root connection at 600 ms a lookup cannot serve 6 probes within 2 s")
        #expect(queued.allSatisfy { $0.reason == .timeout })
        let others = records.compactMap(\.result).filter { $0.failure != nil && $0.failure?.phase != .rootWait }
        #expect(others.isEmpty, "\(others.map { "\($0.failure!) \($0.phaseSeconds)" })")
        let metrics = MetricsText(body: try await harness.request("/metrics").body)
        #expect(metrics.rootUp == 1)
        #expect(metrics.body.contains(#"phase="root_wait",reason="timeout"} 1"#))
    }

    /// A reload builds a new checker; it keeps the root pool, so its sessions are neither lost
    /// nor left open behind it.
    @Test func aReloadKeepsThePooledRootConnections() async throws {
        let harness = try await ExporterHarness.start(scenarios: ["@alice": .activated], arguments: ["--atsign=@alice"])
        defer { Task { await harness.stop() } }
        await harness.service.prober.runRound()
        #expect(harness.simulator.rootCounters.handshakes == 2, "the ping's and the lookup's")
        guard case .success = await harness.service.reload() else {
            Issue.record("reload failed")
            return
        }
        await harness.service.prober.runRound()
        #expect(harness.simulator.rootCounters.handshakes == 3, "only the second ping's")
        #expect(harness.simulator.rootCounters.lookups == 2)
    }

    @Test func shutdownSaysExitToThePooledRootConnections() async throws {
        let harness = try await ExporterHarness.start(scenarios: ["@alice": .activated])
        defer { Task { await harness.stop() } }
        await harness.service.prober.runRound()
        #expect(harness.simulator.rootCounters.openConnections == 1)
        await harness.service.closeRootConnections()
        try await eventually { harness.simulator.rootCounters.openConnections == 0 }
    }
}
