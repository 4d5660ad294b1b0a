import AtSimulator
import AtStatus
import Foundation
import NetIO
import Testing

@testable import Exporter

@Suite(.timeLimit(.minutes(1))) struct RoutesTests {
    static let fleet: [String: Scenario] = [
        "@alice": .activated, "@bob": .teapot, "@carol": .hung, "@dave": .errorReply, "@erin": .ready,
    ]

    @Test func metricsShowEveryStatusAfterARound() async throws {
        try await ExporterHarness.with(scenarios: Self.fleet) { harness in
            #expect(try await harness.respond("/-/ready").status == 503)
            await harness.round()
            #expect(try await harness.respond("/-/ready").status == 200)
            let metrics = try await harness.respond("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            for (atSign, status) in [
                ("@alice", "activated"), ("@bob", "teapot"), ("@carol", "unavailable"), ("@dave", "error"),
                ("@erin", "teapot"),
            ] {
                #expect(
                    metrics.body.contains("atsign_status{atsign=\"\(atSign)\",status=\"\(status)\"} 1"), "\(atSign)")
            }
            #expect(
                metrics.body.contains(
                    #"atsign_probe_failure_info{atsign="@carol",phase="server_check",reason="timeout"} 1"#))
            #expect(metrics.body.contains(#"atsign_root_up{root="#))
            #expect(metrics.body.contains("process_resident_memory_bytes "))
            // Round 1's first statuses: a debug line each, and one info line that counts them.
            let lines = harness.logLines.all.filter { $0.contains("status changed") }
            #expect(lines.count == 5 && lines.allSatisfy { $0.contains("level=debug") }, "\(lines)")
            let firsts = harness.logLines.all.filter { $0.contains(#"msg="first statuses""#) }
            #expect(firsts.count == 1 && firsts.allSatisfy { $0.contains("level=info") && $0.contains("atsigns=5 ") })
            #expect(
                firsts.first?.contains("activated=1 teapot=2 notFound=0 unavailable=1 error=1") == true, "\(firsts)")
        }
    }

    /// A change after the first status is news: an info line, and no new "first statuses".
    @Test func aChangedStatusIsLoggedAtInfo() async throws {
        try await ExporterHarness.with(scenarios: ["@alice": .activated]) { harness in
            await harness.round()
            try harness.simulator.setScenario(.teapot, for: try AtSign("@alice"))
            await harness.round()
            let lines = harness.logLines.all.filter { $0.contains("status changed") }
            #expect(lines.count == 2)
            #expect(
                lines.last?.contains("level=info") == true && lines.last?.contains("from=activated to=teapot") == true)
            #expect(harness.logLines.all.filter { $0.contains(#"msg="first statuses""#) }.count == 1)
        }
    }

    @Test func openMetricsAndGzipAreNegotiated() async throws {
        try await ExporterHarness.with(scenarios: ["@alice": .activated]) { harness in
            await harness.round()
            let open = try await harness.respond(
                "/metrics", headers: [("Accept", "application/openmetrics-text;version=1.0.0")])
            #expect(open.headers["content-type"] == "application/openmetrics-text; version=1.0.0; charset=utf-8")
            #expect(open.body.hasSuffix("# EOF\n"))
            let zipped = try await harness.respond("/metrics", headers: [("Accept-Encoding", "gzip")])
            #expect(zipped.headers["content-encoding"] == "gzip")
            // Through the server: it drops a HEAD answer's body and keeps its length.
            let head = try await harness.request("/metrics", method: "HEAD")
            #expect(head.status == 200 && head.body.isEmpty && Int(head.headers["content-length"] ?? "") ?? 0 > 100)
            let post = try await harness.respond("/metrics", method: "POST")
            #expect(post.status == 405 && post.headers["allow"] == "GET, HEAD")
            #expect(try await harness.respond("/nope").status == 404)
        }
    }

    @Test func statusAPIAnswersWithTheAtSignsHTTPStatus() async throws {
        try await ExporterHarness.with(scenarios: Self.fleet) { harness in
            await harness.round()
            let bob = try await harness.respond("/api/v1/status/@bob")
            #expect(bob.status == 418)
            let object = try JSONSerialization.jsonObject(with: Data(bob.body.utf8)) as? [String: Any]
            #expect(object?["status"] as? String == "teapot" && object?["httpStatus"] as? Int == 418)
            #expect(try await harness.respond("/api/v1/status/@alice").status == 200)
            #expect(try await harness.respond("/api/v1/status/@dave").status == 500)
            // Not configured: a fresh probe; the simulated root does not know it.
            #expect(try await harness.respond("/api/v1/status/@zed").status == 404)
            let bad = try await harness.respond("/api/v1/status/a:b")
            #expect(bad.status == 400 && bad.body.contains("forbidden ':'"))
        }
    }

    @Test func probeEndpointIsBlackboxStyle() async throws {
        try await ExporterHarness.with(scenarios: Self.fleet) { harness in
            let alice = try await harness.respond("/probe?target=@alice")
            #expect(alice.status == 200 && alice.body.contains("probe_success 1"))
            #expect(alice.body.contains(#"atsign_up{atsign="@alice"} 1"#))
            #expect(!alice.body.contains("@bob"))
            let start = Deadline.now
            let hung = try await harness.respond(
                "/probe?target=@carol", headers: [("X-Prometheus-Scrape-Timeout-Seconds", "1.5")])
            #expect(hung.status == 200 && hung.body.contains("probe_success 0"))
            // The scrape's 1.5 s, not the configured timeout (the harness's 15 s for a hung fleet);
            // the bound between them leaves room for a machine running the whole suite.
            #expect(Deadline.now.seconds(since: start) < 10, "the probe ignored the scrape timeout")
            let missing = try await harness.respond("/probe")
            #expect(missing.status == 400 && missing.body.contains("target parameter is missing"))
            let bad = try await harness.respond("/probe?target=%40a%20b")
            #expect(bad.status == 400 && bad.body.contains("invalid atSign \"@a b\""))
        }
    }

    @Test func rateLimiterRefillsWithTime() {
        let start = Deadline.now
        let limiter = RateLimiter(perSecond: 2, now: start)
        #expect(limiter.tryAcquire(now: start) && limiter.tryAcquire(now: start))
        #expect(!limiter.tryAcquire(now: start))
        #expect(limiter.tryAcquire(now: start.adding(.milliseconds(500))))
        #expect(!limiter.tryAcquire(now: start.adding(.milliseconds(600))))
        #expect(
            limiter.tryAcquire(now: start.adding(.seconds(10))) && limiter.tryAcquire(now: start.adding(.seconds(10))))
        #expect(!limiter.tryAcquire(now: start.adding(.seconds(10))))
    }

    @Test func reloadAddsRemovesAndSurvivesABadFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("atsigns.txt")
        try "@alice\n@bob\n".write(to: file, atomically: true, encoding: .utf8)
        try await ExporterHarness.with(
            scenarios: Self.fleet, arguments: ["--atsigns.file", file.path]
        ) { harness in
            await harness.round()
            try "@bob\n@erin # added\n".write(to: file, atomically: true, encoding: .utf8)
            #expect(try await harness.respond("/-/reload", method: "POST").status == 200)
            await harness.round()
            let metrics = try await harness.respond("/metrics").body
            #expect(!metrics.contains("\"@alice\"") && metrics.contains("atsign_up{atsign=\"@erin\"} 0"))
            try "@bob\nnot an atsign\n".write(to: file, atomically: true, encoding: .utf8)
            let failed = try await harness.respond("/-/reload", method: "POST")
            #expect(failed.status == 500 && failed.body.contains("line 2"))
            let after = try await harness.respond("/metrics").body
            #expect(after.contains("atsign_exporter_config_last_reload_successful 0"))
            #expect(after.contains("atsign_up{atsign=\"@erin\"} 0"))
            #expect(try await harness.respond("/-/reload").status == 405)
        }
    }

    @Test func landingPageListsEveryAtSign() async throws {
        try await ExporterHarness.with(scenarios: Self.fleet) { harness in
            await harness.round()
            let page = try await harness.respond("/")
            #expect(page.status == 200 && page.headers["content-type"] == "text/html; charset=utf-8")
            for name in Self.fleet.keys { #expect(page.body.contains(">\(name)</a>")) }
            #expect(page.body.contains(">teapot</span>") && page.body.contains("418"))
            #expect(try await harness.respond("/-/healthy").status == 200)
        }
    }
}
