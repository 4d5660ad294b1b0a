import AtSimulator
import AtStatus
import NetIO
import TestSupport
import Testing

@testable import Exporter

/// `/probe` as a Prometheus job uses it: success means activated, no rate limit (only
/// `--probe.concurrency` slots), and `debug=true` for the probe's log.
@Suite(.timeLimit(.minutes(1))) struct ProbeEndpointTests {
    @Test func probeSuccessMeansActivated() async throws {
        try await ExporterHarness.with(scenarios: RoutesTests.fleet) { harness in
            for (atSign, success) in [("@alice", 1), ("@bob", 0), ("@zed", 0), ("@dave", 0)] {
                let answer = try await harness.respond("/probe?target=\(atSign)")
                #expect(answer.status == 200)
                #expect(MetricsText(body: answer.body).value("probe_success") == Double(success), "\(atSign)")
            }
            let bob = try await harness.respond("/probe?target=@bob")
            #expect(bob.body.contains(#"atsign_status{atsign="@bob",status="teapot"} 1"#))
            #expect(!bob.body.contains("atsign_root_status"), "the default profile, as /metrics")
        }
    }

    /// Through the server: the request counts are the access log's.
    @Test func probeIsNotRateLimitedButStatusFreshProbesAreAndCounted() async throws {
        try await ExporterHarness.with(scenarios: ["@alice": .activated], maxFreshProbes: 1) { harness in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<5 { group.addTask { try await harness.request("/probe?target=@alice").status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == [200, 200, 200, 200, 200])
            let first = try await harness.request("/api/v1/status/@nobody?fresh=1")
            let second = try await harness.request("/api/v1/status/@nobody?fresh=1")
            #expect(first.status == 404 && second.status == 429, "\(first.status) \(second.status)")
            let text = try await harness.metrics(
                until: { $0.value(#"atsign_exporter_http_requests_total{code="429",handler="status"}"#) == 1 },
                what: "the 429 to be counted")
            #expect(text.value(#"atsign_exporter_fresh_probes_refused_total{handler="status"}"#) == 1)
            #expect(text.value(#"atsign_exporter_http_requests_total{code="200",handler="probe"}"#) == 5)
        }
    }

    @Test func probeSlotsBoundProbesAndABusyScrapeGets503() async throws {
        try await ExporterHarness.with(
            scenarios: ["@alice": .activated], arguments: ["--probe.concurrency", "1"]
        ) { harness in
            let alice = try AtSign("@alice")
            let fake = FakeChecker([alice: .gated(.found, .activated)])
            harness.service.prober.update(schedule: harness.service.prober.schedule, checker: fake)
            let held = Task { try await harness.respond("/probe?target=@alice") }
            try await eventually("the first probe to start") { fake.inFlight > 0 }
            let busy = try await harness.respond(
                "/probe?target=@alice", headers: [("X-Prometheus-Scrape-Timeout-Seconds", "1")])
            #expect(busy.status == 503 && busy.body.contains("all 1 probe slots (--probe.concurrency) stayed busy"))
            fake.releaseAll()
            let answer = try await held.value
            #expect(answer.status == 200 && answer.body.contains("probe_success 1"))
            #expect(fake.maxInFlight == 1)
            #expect(try await harness.respond("/probe?target=@alice").status == 200)
        }
    }

    @Test func debugReturnsTheProbesLog() async throws {
        try await ExporterHarness.with(scenarios: RoutesTests.fleet) { harness in
            let alice = try await harness.respond("/probe?target=@alice&debug=true")
            #expect(alice.status == 200 && alice.headers["content-type"] == "text/plain; charset=utf-8")
            let lines = alice.body.split(separator: "\n").map(String.init)
            #expect(lines.first == "Logs for the probe:")
            let timeout = Double(ExporterHarness.defaultTimeout(RoutesTests.fleet.values).components.seconds)
            #expect(
                lines.contains { $0.contains(#"msg="Beginning probe" target=@alice timeout_seconds="# + "\(timeout)") })
            #expect(lines.contains { $0.contains(#"msg="Phase finished" phase=root_lookup duration_seconds="#) })
            #expect(lines.contains { $0.contains(#"msg="atRoot answered" root_status=found server_location="#) })
            #expect(lines.contains { $0.contains(#"msg="Probe succeeded" status=activated http_status=200"#) })
            #expect(alice.body.contains("\n\nMetrics that would have been returned:\n"))
            #expect(alice.body.contains("probe_success 1\n"))
            let carol = try await harness.respond("/probe?target=@carol&debug=1")
            #expect(carol.body.contains(#"level=error msg="Probe did not reach a definite answer" reason=timeout"#))
            #expect(
                carol.body.contains(#"level=warn msg="Probe failed: the atSign is not activated" status=unavailable"#))
            let bad = try await harness.respond("/probe?target=@alice&debug=yes")
            #expect(bad.status == 400 && bad.body == "debug must be true or false, not \"yes\"\n")
        }
    }
}
