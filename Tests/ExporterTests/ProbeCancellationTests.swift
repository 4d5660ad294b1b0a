import AtSimulator
import AtStatus
import NetIO
import Testing
import WebServer

@testable import Exporter

/// Issue 9, findings 6 and 7, through the real service: a fresh probe that shutdown cancels is
/// answered as cancelled, never as a failed probe; a round past its interval is logged.
@Suite(.timeLimit(.minutes(1))) struct ProbeCancellationTests {
    /// Whenever the cancellation lands (before or during the hung probe), the answer is the same.
    @Test(arguments: ["/probe?target=@carol", "/api/v1/status/@carol?fresh=1"])
    func aCancelledFreshProbeIsNotServedAsAFailure(target: String) async throws {
        try await ExporterHarness.with(scenarios: ["@carol": .hung], timeout: .seconds(5)) { harness in
            let routes = Routes(service: harness.service)
            var request = try HTTPRequest(method: "GET", target: target)
            request.routeRemainder = "@carol"
            let answer = Task { [request] in
                target.hasPrefix("/probe") ? await routes.probe(request) : await routes.status(request)
            }
            answer.cancel()
            let response = await answer.value
            #expect(response.status == 503)
            #expect(String(decoding: response.body, as: UTF8.self).contains("probe cancelled"))
            #expect(harness.service.store.snapshot.records[try AtSign("@carol")]?.result == nil)
        }
    }

    @Test func aRoundPastItsIntervalIsLoggedAndCounted() async throws {
        // The harness sets the interval to the timeout, so a hung atServer makes the round overrun.
        try await ExporterHarness.with(
            scenarios: ["@alice": .activated, "@carol": .hung], timeout: .seconds(1)
        ) { harness in
            await harness.round()
            let lines = harness.logLines.all.filter { $0.contains("probe round overran its interval") }
            #expect(lines.count == 1, "\(harness.logLines.all)")
            #expect(lines.first?.contains("level=warn") ?? false)
            #expect(lines.first?.contains("atsigns=2") ?? false)
            let metrics = try await harness.request("/metrics")
            #expect(metrics.body.contains("atsign_exporter_probe_rounds_overrun_total 1\n"))
            #expect(metrics.body.contains("atsign_exporter_probe_rounds_total 1\n"))
        }
    }
}
