import AtStatus
import Exposition
import Foundation
import Testing

@testable import Exporter

/// A fixed snapshot renders byte for byte to the committed fixtures: `golden.*` in the default
/// profile, `golden.full.*` with every collector. Regenerate them, after a deliberate change,
/// with `UPDATE_GOLDEN=1 swift test --filter GoldenExpositionTests`.
@Suite struct GoldenExpositionTests {
    static func snapshot() throws -> Snapshot {
        let store = SnapshotStore(rootAddress: "root.example:64")
        let (alice, bob, carol, dave) = (
            try AtSign("@alice"), try AtSign("@bob"), try AtSign("@carol🦄\\x"), try AtSign("@dave")
        )
        store.setTargets([alice, bob, carol, dave, try AtSign("@never_probed")])
        var activated = FakeChecker.result(alice, .found, .activated)
        activated.status.serverLocation = "alice.example:6464"
        activated.durationSeconds = 0.125
        activated.phaseSeconds = [.rootLookup: 0.002, .serverConnect: 0.01, .serverTLS: 0.05, .serverCheck: 0.0625]
        activated.serverVersion = "3.0.52 \"beta\"\\\nnext"
        activated.serverUptimeSeconds = 123.456
        activated.serverCertificateNotAfter = 1_800_000_000
        activated.rootCertificateNotAfter = 1_900_000_000
        store.record(activated)
        var teapot = FakeChecker.result(bob, .found, .teapot)
        teapot.status.serverLocation = "bob.example:6464"
        store.record(teapot)
        var failing = FakeChecker.result(carol, .found, .unavailable)
        failing.status.serverLocation = "carol.example:6464"
        failing.failure = ProbeFailure(reason: .timeout, phase: .serverTLS, message: "timed out")
        failing.durationSeconds = 10
        store.record(failing)
        store.record(failing)
        store.record(FakeChecker.result(dave, .notFound, .unavailable))
        store.finishRound(seconds: 70, overran: true)
        store.finishRound(seconds: 12.5)
        store.recordReload(successful: true, at: 1_700_000_000)
        return store.snapshot
    }

    /// Serving figures as after a few requests: two scrapes, a probe, a refused connection and a
    /// refused fresh probe.
    static func servingStats() -> ServingStats {
        let stats = ServingStats(telemetryPath: "/metrics")
        stats.count(target: "/metrics", code: 200)
        stats.count(target: "/metrics", code: 200)
        stats.count(target: "/probe?target=@alice", code: 200)
        stats.count(target: "", code: 503)
        stats.count(target: "/api/v1/status/@zed?fresh=1", code: 429)
        stats.countRefusedFreshProbe(.status)
        stats.recordRender(seconds: 0.0125, series: 130)
        return stats
    }

    static func collector(_ collectors: Set<MetricCollector>) -> Collector {
        Collector(
            shard: 1, totalShards: 3,
            buildLabels: .init(
                version: "0.1.0", revision: "abc123", swift: "6.3", branch: "main", buildUser: "ci@builder",
                buildDate: "20260101-00:00:00", platform: "linux/amd64"),
            collectors: collectors)
    }

    static func render(_ format: ExpositionFormat, _ collectors: Set<MetricCollector> = MetricCollector.defaults)
        throws -> String
    {
        let collector = collector(collectors)
        let snapshot = try snapshot()
        let live = Collector.liveFamilies(serving: servingStats(), process: nil)
        #expect(format.render(collector.families(snapshot)).report.isClean)
        #expect(format.render(live).report.isClean)
        let bytes = MetricsPage.render(snapshot, collector: collector, format: format, live: live).bytes
        return String(decoding: bytes, as: UTF8.self)
    }

    static func compare(_ rendered: String, fixture: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/\(fixture)")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(rendered == expected, "rendering differs from Fixtures/\(fixture)")
    }

    @Test func textFormatMatchesTheGoldenFiles() throws {
        try Self.compare(try Self.render(.prometheusText), fixture: "golden.prom")
        try Self.compare(try Self.render(.prometheusText, Set(MetricCollector.allCases)), fixture: "golden.full.prom")
    }

    @Test func openMetricsMatchesTheGoldenFiles() throws {
        let text = try Self.render(.openMetrics)
        #expect(text.hasSuffix("# EOF\n"))
        try Self.compare(text, fixture: "golden.om.txt")
        try Self.compare(try Self.render(.openMetrics, Set(MetricCollector.allCases)), fixture: "golden.full.om.txt")
    }

    @Test func exactlyOneStatusSeriesIsOnePerAtSign() throws {
        let text = try Self.render(.prometheusText, Set(MetricCollector.allCases))
        let ones = text.split(separator: "\n").filter { $0.hasPrefix("atsign_status{") && $0.hasSuffix(" 1") }
        #expect(ones.count == 4)
        #expect(!text.contains("never_probed"))
        #expect(text.contains(#"atsign_probe_failure_info{atsign="@carol🦄\\x",phase="server_tls",reason="timeout"} 1"#))
        #expect(text.contains(#"atsign_probes_total{atsign="@carol🦄\\x",result="failure"} 2"#))
        #expect(text.contains(#"atsign_probe_consecutive_failures{atsign="@carol🦄\\x"} 2"#))
        #expect(text.contains(#"atsign_probe_consecutive_failures{atsign="@alice"} 0"#))
        #expect(text.contains(#"version="3.0.52 \"beta\"\\\nnext""#))
    }

    @Test func processMetricsAreReadFromProc() {
        let process = ProcessMetrics.read()
        #expect(process.residentBytes > 1_000_000)
        #expect(process.openFDs >= 3 && process.maxFDs >= process.openFDs)
        #expect(process.threads >= 1 && process.startTimeSeconds > 1_600_000_000)
        var parsed = ProcessMetrics()
        parsed.apply(
            stat: Array("42 (a) b) S 1 1 1 0 -1 0 0 0 0 0 250 150 0 0 20 0 7 0 1000 4096 25 0\n".utf8), bootTime: 1000)
        #expect(parsed.threads == 7 && parsed.virtualBytes == 4096 && parsed.residentBytes > 0)
        #expect(parsed.cpuSeconds > 0 && parsed.startTimeSeconds > 1000)
    }
}
