import AtSimulator
import NetIO
import TestSupport
import Testing

@testable import Exporter

/// The exporter's own health series: requests by handler and code, render cost, series.
@Suite(.timeLimit(.minutes(1))) struct ServingStatsTests {
    @Test func handlersAreNamedFromTheTarget() {
        let stats = ServingStats(telemetryPath: "/custom")
        let cases: [(String, ServingStats.Handler)] = [
            ("/custom", .metrics), ("/custom?x=1", .metrics), ("/metrics", .other), ("/probe?target=@a", .probe),
            ("/api/v1/status/@a", .status), ("/", .landing), ("/?status=error&page=2", .landing),
            ("/-/healthy", .health), ("/-/ready", .ready), ("/-/reload", .reload), ("", .other), ("/nope", .other),
            ("http://host:9713/probe?target=@a", .probe),
        ]
        for (target, handler) in cases { #expect(stats.handler(forTarget: target) == handler, "\(target)") }
    }

    @Test func requestsRenderCostAndSeriesAreExposed() async throws {
        try await ExporterHarness.with(scenarios: ["@alice": .activated]) { harness in
            await harness.round()
            _ = try await harness.request("/-/healthy")
            _ = try await harness.request("/nope")
            _ = try await harness.request("/-/reload")
            let text = try await harness.metrics(
                until: { $0.value(#"atsign_exporter_http_requests_total{code="405",handler="reload"}"#) == 1 },
                what: "the requests to be counted")
            #expect(text.value(#"atsign_exporter_http_requests_total{code="200",handler="health"}"#) == 1)
            #expect(text.value(#"atsign_exporter_http_requests_total{code="404",handler="other"}"#) == 1)
            #expect(text.value(#"atsign_exporter_fresh_probes_refused_total{handler="status"}"#) == 0)
            // Each scrape reports the one before it: its sample lines and how long it took.
            let previous = try await harness.request("/metrics").body
            let next = MetricsText(body: try await harness.request("/metrics").body)
            let samples = previous.split(separator: "\n").filter { !$0.hasPrefix("#") }.count
            #expect(next.value("atsign_exporter_metrics_series") == Double(samples))
            let seconds = try #require(next.value("atsign_exporter_metrics_render_duration_seconds"))
            #expect(seconds > 0 && seconds < 5)
        }
    }

    @Test func connectionsRefusedAtTheLimitAreCounted() async throws {
        try await ExporterHarness.with(
            scenarios: ["@alice": .activated], arguments: ["--web.max-connections", "1"]
        ) { harness in
            let held = try await TCPConnection.connect(
                host: "127.0.0.1", port: harness.port, deadline: .after(Patience.deadline))
            try await eventually("the server to accept the held connection") { harness.server.openConnections == 1 }
            #expect(try await harness.request("/metrics").status == 503)
            await held.close()
            // At least one: a poll that arrives before the server has seen the held connection
            // close is refused too, and counted as well.
            _ = try await harness.metrics(
                until: { ($0.value(#"atsign_exporter_http_requests_total{code="503",handler="other"}"#) ?? 0) >= 1 },
                what: "the refused connection to be counted")
        }
    }
}
