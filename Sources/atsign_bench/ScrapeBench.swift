import AtStatus
import Exporter
import Exposition
import Foundation

/// `scrape`: the cost of a `/metrics` scrape through the segment cache after k of N atSigns
/// changed (k spread over the list, so each lands in a different block when k ≤ blocks), the
/// cost of recording a result (which pre-renders the atSign), and memory per configured atSign.
/// `--profile full` turns every collector on (`--metrics.detail`).
enum ScrapeBench {
    static func run(_ options: Options) throws {
        let count = try options.integer("atsigns", 10000)
        let repeats = try options.integer("repeat", 5)
        let profile = try options.text("profile", "default")
        guard profile == "default" || profile == "full" else {
            throw BenchError("--profile: \"\(profile)\" is neither default nor full")
        }
        let collectors = profile == "full" ? Set(MetricCollector.allCases) : MetricCollector.defaults
        let page = ScrapePage(rootAddress: "127.0.0.1:64", collectors: collectors)
        let atSigns = try RenderBench.atSigns(count)
        page.store.setTargets(atSigns)
        var round = 0
        let record = { (atSigns: [AtSign]) in
            round += 1
            for (index, atSign) in atSigns.enumerated() {
                var result = RenderBench.result(atSign, hung: index % 10 == 9, port: 20000 + index % 40000)
                result.durationSeconds += Double(round) / 1000
                page.store.record(result)
            }
        }
        for format in [ExpositionFormat.prometheusText, .openMetrics] {
            for gzip in [false, true] { _ = page.body(format: format, gzip: gzip) }
        }
        let before = Measure.residentBytes()
        let recordSeconds = Measure.seconds { record(atSigns) }
        report("scrape_\(count)_record_seconds_per_result", recordSeconds / Double(count))
        for format in [ExpositionFormat.prometheusText, .openMetrics] {
            for gzip in [false, true] { _ = page.body(format: format, gzip: gzip) }
        }
        report("scrape_\(count)_cache_bytes_per_atsign", (Measure.residentBytes() - before) / Double(count), digits: 0)
        for changed in try options.integers("changed", "1,100,10000") where changed <= count {
            let spread = stride(from: 0, to: count, by: max(1, count / max(changed, 1))).prefix(changed).map {
                atSigns[$0]
            }
            for gzip in [false, true] {
                var times: [Double] = []
                for _ in 0..<repeats {
                    record(spread)
                    times.append(Measure.seconds { _ = page.body(format: .openMetrics, gzip: gzip) })
                }
                report("scrape_\(count)_changed_\(changed)_\(gzip ? "gzip" : "plain")_seconds", Measure.median(times))
            }
        }
        let body = page.body(format: .prometheusText, gzip: false).parts.reduce(0) { $0 + $1.count }
        report("scrape_\(count)_body_bytes", Double(body), digits: 0)
    }
}
