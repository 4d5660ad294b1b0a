import AtSimulator
import AtStatus
import NetIO
import TestSupport
import Testing

@testable import Exporter

/// The root goes away and comes back: the exporter says so, keeps answering, and recovers
/// without a restart (its pooled root connections must not stay broken).
@Suite(.timeLimit(.minutes(1))) struct FaultRootTests {
    static let fleet: [String: Scenario] = ["@alice": .activated, "@bob": .teapot]

    @Test func rootDownThenBack() async throws {
        try await ExporterHarness.with(scenarios: Self.fleet) { harness in
            await harness.round()
            let before = MetricsText(body: try await harness.request("/metrics").body)
            #expect(before.rootUp == 1 && before.status(of: "@alice") == "activated")
            #expect(try await harness.request("/api/v1/status/@alice").status == 200)

            try await harness.simulator.setRootMode(.down)
            await harness.round()
            let down = try await harness.request("/metrics")
            #expect(down.status == 200)
            let text = MetricsText(body: down.body)
            #expect(text.rootUp == 0)
            for atSign in ["@alice", "@bob"] {
                #expect(text.status(of: atSign) == "unavailable", "\(atSign)")
                #expect(text.failureReason(of: atSign) == "connection_refused", "\(atSign)")
            }
            #expect(try await harness.request("/api/v1/status/@alice").status == 502)
            #expect(try await harness.request("/api/v1/status/@bob").status == 502)

            try await harness.simulator.setRootMode(.normal)
            await harness.round()
            let back = MetricsText(body: try await harness.request("/metrics").body)
            #expect(back.rootUp == 1)
            #expect(back.status(of: "@alice") == "activated" && back.status(of: "@bob") == "teapot")
            #expect(back.failureReason(of: "@alice") == nil)
            #expect(try await harness.request("/api/v1/status/@alice").status == 200)
            #expect(try await harness.request("/api/v1/status/@bob").status == 418)
        }
    }

    /// A restart between two rounds leaves every pooled root session dead; none may show up as a
    /// failed probe.
    @Test func aRootRestartBetweenRoundsCausesNoFalseAlarm() async throws {
        let fleet = Dictionary(uniqueKeysWithValues: (1...6).map { ("@user\($0)", Scenario.activated) })
        try await ExporterHarness.with(scenarios: fleet) { harness in
            await harness.round()
            try await harness.simulator.setRootMode(.down)
            try await harness.simulator.setRootMode(.normal)
            await harness.round()
            let metrics = MetricsText(body: try await harness.request("/metrics").body)
            #expect(metrics.rootUp == 1)
            for atSign in fleet.keys.sorted() {
                #expect(metrics.status(of: atSign) == "activated", "\(atSign)")
                #expect(metrics.failureReason(of: atSign) == nil, "\(atSign)")
            }
        }
    }

    @Test func aHungRootDoesNotHoldUpMetrics() async throws {
        try await ExporterHarness.with(scenarios: Self.fleet, timeout: Patience.hungPeerDeadline) { harness in
            await harness.round()
            try await harness.simulator.setRootMode(.hung)
            let handshakes = harness.simulator.rootCounters.handshakes
            let round = Task {
                await harness.round()
                return Deadline.now
            }
            // The round has reached the hung root, so the scrape below runs during it.
            try await eventually { harness.simulator.rootCounters.handshakes > handshakes }
            let during = try await harness.request("/metrics")
            let answeredAt = Deadline.now
            #expect(during.status == 200)
            #expect(MetricsText(body: during.body).status(of: "@alice") == "activated")
            #expect(answeredAt < (await round.value), "/metrics waited for the round to end")
            let after = MetricsText(body: try await harness.request("/metrics").body)
            #expect(after.rootUp == 0 && after.status(of: "@alice") == "unavailable")
            #expect(after.failureReason(of: "@alice") == "timeout")
            try await harness.simulator.setRootMode(.normal)
            await harness.round()
            let back = MetricsText(body: try await harness.request("/metrics").body)
            #expect(back.rootUp == 1 && back.status(of: "@alice") == "activated")
        }
    }
}
