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

    /// 100 probes at once against a root 750 ms away: a fixed pool of 16 answered 21 lookups a
    /// second, so a third of them missed a 3 s deadline and the root read as down. The pool now
    /// grows with the burst; the test counts that (more than 16 connections at once) rather than
    /// racing a short deadline, which a machine running the whole suite would lose.
    @Test func aBurstAgainstADistantRootIsAllActivatedAndTheRootStaysUp() async throws {
        let fleet = Dictionary(uniqueKeysWithValues: (1...100).map { ("@far\($0)", Scenario.activated) })
        try await withStarted(
            try await ExporterHarness.start(
                scenarios: fleet, rootLink: LinkConditions(replyLatency: .milliseconds(750))),
            stop: { await $0.stop() }
        ) { harness in
            Self.burst(harness)
            await harness.round()
            let metrics = MetricsText(body: try await harness.request("/metrics").body)
            #expect(metrics.rootUp == 1)
            #expect(harness.simulator.rootCounters.peakOpenConnections > 16)
            let wrong = fleet.keys.filter { metrics.status(of: $0) != "activated" }
            #expect(
                wrong.isEmpty,
                "\(wrong.count) not activated, e.g. \(wrong.first.map { metrics.failureReason(of: $0) ?? "" } ?? "")")
        }
    }

    /// One root connection at 5 s a lookup serves 6 probes in 30 s at best: with a 20 s deadline
    /// at least two must time out in our queue, and a busier machine only makes that more. The
    /// first probe has 15 s to spare, which a machine running the whole suite at once needs.
    @Test func probesThatTimeOutQueuedForTheRootPoolAreRootWaitAndTheRootStaysUp() async throws {
        let fleet = Dictionary(uniqueKeysWithValues: (1...6).map { ("@queued\($0)", Scenario.activated) })
        try await withStarted(
            try await ExporterHarness.start(
                scenarios: fleet, arguments: ["--root.max-connections", "1"], timeout: .seconds(20),
                rootLink: LinkConditions(replyLatency: .seconds(5))), stop: { await $0.stop() }
        ) { harness in
            Self.burst(harness)
            await harness.round()
            let records = harness.service.store.snapshot.records.values
            let queued = records.compactMap(\.result?.failure).filter { $0.phase == .rootWait }
            #expect(
                !queued.isEmpty,
                "one root connection at 5 s a lookup cannot serve 6 probes within 20 s: \(records.map(\.result?.failure))"
            )
            #expect(queued.allSatisfy { $0.reason == .timeout })
            // The root is never blamed (the prober's cut-off, phase server_check, may catch a probe
            // that a loaded machine let overrun its deadline).
            let blamed = records.compactMap(\.result?.failure).filter { $0.phase.isRootPhase }
            #expect(blamed.isEmpty, "\(blamed)")
            let metrics = MetricsText(body: try await harness.request("/metrics").body)
            #expect(metrics.rootUp == 1, "\(harness.logLines.all.filter { $0.contains("root") })")
            #expect(metrics.body.contains(#"phase="root_wait",reason="timeout"} 1"#))
        }
    }

    /// A reload builds a new checker; it keeps the root pool, so its sessions are neither lost
    /// nor left open behind it.
    @Test func aReloadKeepsThePooledRootConnections() async throws {
        try await withStarted(
            try await ExporterHarness.start(scenarios: ["@alice": .activated], arguments: ["--atsign=@alice"]),
            stop: { await $0.stop() }
        ) { harness in
            await harness.round()
            #expect(harness.simulator.rootCounters.handshakes == 2, "the ping's and the lookup's")
            guard case .success = await harness.service.reload() else {
                Issue.record("reload failed")
                return
            }
            await harness.round()
            #expect(harness.simulator.rootCounters.handshakes == 3, "only the second ping's")
            #expect(harness.simulator.rootCounters.lookups == 2)
        }
    }

    @Test func shutdownSaysExitToThePooledRootConnections() async throws {
        try await withStarted(
            try await ExporterHarness.start(scenarios: ["@alice": .activated]), stop: { await $0.stop() }
        ) { harness in
            await harness.round()
            #expect(harness.simulator.rootCounters.openConnections == 1)
            await harness.service.closeRootConnections()
            try await eventually { harness.simulator.rootCounters.openConnections == 0 }
        }
    }
}
