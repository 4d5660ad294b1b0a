import AtSimulator
import AtStatus
import NetIO
import TestSupport
import Testing

@testable import Exporter

/// One atServer misbehaves; `/metrics` keeps answering, every other atSign keeps its true
/// status, and the faulty one recovers as soon as its server does.
@Suite(.timeLimit(.minutes(1))) struct FaultServerTests {
    struct Fault: Sendable, CustomTestStringConvertible {
        let scenario: Scenario
        let status: String
        let reason: String
        let httpStatus: Int
        var testDescription: String { scenario.description }
    }

    static let faults = [
        Fault(scenario: .hung, status: "unavailable", reason: "timeout", httpStatus: 503),
        Fault(scenario: .reset, status: "unavailable", reason: "reset", httpStatus: 503),
        Fault(scenario: .huge, status: "error", reason: "too_large", httpStatus: 500),
        Fault(scenario: .invalidUTF8, status: "error", reason: "protocol", httpStatus: 500),
        Fault(scenario: .garbageThenClose, status: "error", reason: "protocol", httpStatus: 500),
        Fault(scenario: .expired, status: "unavailable", reason: "certificate", httpStatus: 503),
        Fault(scenario: .wrongHost, status: "unavailable", reason: "certificate", httpStatus: 503),
    ]

    static let healthy: [String: Scenario] = ["@alice": .activated, "@bob": .teapot, "@erin": .ready]

    @Test(arguments: faults) func aFaultyServerLeavesEveryOtherAtSignCorrect(_ fault: Fault) async throws {
        var fleet = Self.healthy
        fleet["@fault"] = fault.scenario
        // The harness's timeout: generous, and for `hung` still shorter, so the round ends.
        try await ExporterHarness.with(scenarios: fleet) { harness in
            let round = Task {
                await harness.round()
                return Deadline.now
            }
            // Every probe has its atServer's address, so the scrape below runs during the round.
            try await eventually { harness.simulator.rootCounters.lookups >= fleet.count }
            let during = try await harness.request("/metrics")
            let answeredAt = Deadline.now
            #expect(during.status == 200 && during.body.contains("atsign_exporter_build_info"))
            let finishedAt = await round.value
            if fault.scenario == .hung { #expect(answeredAt < finishedAt, "/metrics waited for the round to end") }

            let after = MetricsText(body: try await harness.request("/metrics").body)
            try expectHealthy(after)
            #expect(after.status(of: "@fault") == fault.status)
            #expect(after.failureReason(of: "@fault") == fault.reason)
            #expect(try await harness.request("/api/v1/status/@fault").status == fault.httpStatus)
            if fault.reason == "certificate" {
                // A refused certificate keeps its expiry series, so the expiry alert does not resolve.
                #expect(after.value("atsign_server_cert_expiry_timestamp_seconds{atsign=\"@fault\"}") != nil)
            }

            try harness.simulator.setScenario(.activated, for: AtSign("@fault"))
            await harness.round()
            let recovered = MetricsText(body: try await harness.request("/metrics").body)
            try expectHealthy(recovered)
            #expect(recovered.status(of: "@fault") == "activated")
            #expect(recovered.failureReason(of: "@fault") == nil)
        }
    }

    @Test func everyFaultAtOnceInOneRound() async throws {
        var fleet = Self.healthy
        for (index, fault) in Self.faults.enumerated() { fleet["@fault\(index)"] = fault.scenario }
        try await ExporterHarness.with(scenarios: fleet) { harness in
            await harness.round()
            let metrics = MetricsText(body: try await harness.request("/metrics").body)
            try expectHealthy(metrics)
            for (index, fault) in Self.faults.enumerated() {
                #expect(metrics.status(of: "@fault\(index)") == fault.status, "\(fault.scenario)")
                #expect(metrics.failureReason(of: "@fault\(index)") == fault.reason, "\(fault.scenario)")
            }
            #expect(metrics.rootUp == 1)
        }
    }

    private func expectHealthy(_ metrics: MetricsText, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(metrics.status(of: "@alice") == "activated", sourceLocation: sourceLocation)
        #expect(metrics.status(of: "@bob") == "teapot", sourceLocation: sourceLocation)
        #expect(metrics.status(of: "@erin") == "teapot", sourceLocation: sourceLocation)
        #expect(metrics.failureReason(of: "@alice") == nil, sourceLocation: sourceLocation)
        #expect(metrics.value(#"atsign_up{atsign="@alice"}"#) == 1, sourceLocation: sourceLocation)
    }
}
