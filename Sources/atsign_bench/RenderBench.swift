import AtStatus
import Exporter
import Exposition
import Foundation
import WebServer

/// `render`: the `/metrics` body of a synthetic snapshot of N probed atSigns (90 % activated,
/// 10 % timed out, as the simulator's bench mix), timed in-process, plus what the snapshot costs
/// in memory. `--profile full` renders every collector (`--metrics.detail`), `default` the default.
enum RenderBench {
    static func run(_ options: Options) throws {
        let repeats = try options.integer("repeat", 7)
        let collectors: Set<MetricCollector>
        switch try options.text("profile", "default") {
        case "default": collectors = MetricCollector.defaults
        case "full": collectors = Set(MetricCollector.allCases)
        case let other: throw BenchError("--profile: \"\(other)\" is neither default nor full")
        }
        for count in try options.integers("atsigns", "1000,10000,100000") {
            let before = Measure.residentBytes()
            let snapshot = try makeSnapshot(count: count)
            report(
                "render_\(count)_snapshot_bytes_per_atsign", (Measure.residentBytes() - before) / Double(count),
                digits: 0)
            var body: [UInt8] = []
            var text: [Double] = []
            var openMetrics: [Double] = []
            var gzip: [Double] = []
            for _ in 0..<repeats {
                text.append(
                    Measure.seconds {
                        body = MetricsPage.render(snapshot, format: .prometheusText, collectors: collectors)
                    })
                openMetrics.append(
                    Measure.seconds {
                        _ = MetricsPage.render(snapshot, format: .openMetrics, collectors: collectors)
                    })
                gzip.append(Measure.seconds { _ = Gzip.compress(body) })
            }
            report("render_\(count)_text_seconds", Measure.median(text))
            report("render_\(count)_openmetrics_seconds", Measure.median(openMetrics))
            report("render_\(count)_gzip_seconds", Measure.median(gzip))
            report("render_\(count)_body_bytes", Double(body.count), digits: 0)
            report("render_\(count)_gzip_bytes", Double(Gzip.compress(body).count), digits: 0)
            let series = body.split(separator: UInt8(ascii: "\n")).filter { $0.first != UInt8(ascii: "#") }.count
            report("render_\(count)_series", Double(series), digits: 0)
            report("render_\(count)_rss_bytes", Measure.residentBytes(), digits: 0)
        }
    }

    /// A store filled as a probe round would fill it: every atSign has one result.
    static func makeSnapshot(count: Int) throws -> Snapshot {
        let store = SnapshotStore(rootAddress: "127.0.0.1:64")
        let atSigns = try atSigns(count)
        store.setTargets(atSigns)
        for (index, atSign) in atSigns.enumerated() {
            store.record(result(atSign, hung: index % 10 == 9, port: 20000 + index % 40000))
        }
        store.finishRound(seconds: 20)
        return store.snapshot
    }

    /// `@sim00001` ... as `atsign_sim --generate` names them.
    static func atSigns(_ count: Int) throws -> [AtSign] {
        let width = max(5, String(count).count)
        return try (1...count).map { index in
            let digits = String(index)
            return try AtSign("@sim" + String(repeating: "0", count: width - digits.count) + digits)
        }
    }

    static func result(_ atSign: AtSign, hung: Bool, port: Int) -> ProbeResult {
        var result = ProbeResult(
            status: ProbeStatus(
                atSign: atSign, serverLocation: "127.0.0.1:\(port)", rootStatus: .found,
                serverStatus: hung ? .unavailable : .activated))
        result.durationSeconds = hung ? 5 : 0.0123
        result.phaseSeconds = [.rootLookup: 0.0004, .serverConnect: 0.0002, .serverTLS: 0.004]
        result.finishedAt = 1_700_000_000 + Double(port) / 7
        result.rootCertificateNotAfter = 1_800_000_000
        if hung {
            result.failure = ProbeFailure(reason: .timeout, phase: .serverCheck, message: "timed out")
        } else {
            result.phaseSeconds[.serverCheck] = 0.0071
            result.serverVersion = "3.0.52"
            result.serverUptimeSeconds = 1234.5
            result.serverCertificateNotAfter = 1_800_000_000
        }
        return result
    }
}
