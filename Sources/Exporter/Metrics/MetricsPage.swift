import Exposition

/// The body of `/metrics` for a snapshot, rendered in full: the reference that `ScrapePage`
/// (what routes serve) must equal byte for byte; `atsign_bench render` times it.
///
/// The body is two runs of families, each sorted by name: the snapshot's (pre-rendered per
/// atSign by `ScrapePage`), then the live ones that change on every scrape (serving
/// figures, `process_*`). Neither format asks for families in name order, only for each
/// family's lines together, which holds.
public enum MetricsPage {
    /// Renders the snapshot's families (and the process families when asked) in `format`, with
    /// the given per-atSign collectors.
    public static func render(
        _ snapshot: Snapshot, format: ExpositionFormat, includeProcess: Bool = true,
        collectors: Set<MetricCollector> = MetricCollector.defaults
    ) -> [UInt8] {
        let live = Collector.liveFamilies(serving: nil, process: includeProcess ? .read() : nil)
        return render(snapshot, collector: Collector(collectors: collectors), format: format, live: live).bytes
    }

    /// The whole body and its sample count.
    static func render(_ snapshot: Snapshot, collector: Collector, format: ExpositionFormat, live: [MetricFamily])
        -> (bytes: [UInt8], series: Int)
    {
        var part = snapshotPart(snapshot, collector: collector, format: format)
        format.render(live, into: &part.bytes)
        return (part.bytes, part.series + live.reduce(0) { $0 + $1.sampleCount })
    }

    /// The snapshot's families, without OpenMetrics' `# EOF`, and their sample count.
    static func snapshotPart(_ snapshot: Snapshot, collector: Collector, format: ExpositionFormat)
        -> (bytes: [UInt8], series: Int)
    {
        let families = collector.families(snapshot)
        var body: [UInt8] = []
        body.reserveCapacity(families.reduce(0) { $0 + $1.seriesCount } * 80)
        format.render(families, into: &body)
        if format == .openMetrics, body.suffix(6).elementsEqual("# EOF\n".utf8) { body.removeLast(6) }
        return (body, families.reduce(0) { $0 + $1.sampleCount })
    }
}

extension MetricFamily {
    /// Sample lines this family renders, as Prometheus counts them (`scrape_samples_scraped`):
    /// a histogram has one per bucket, `+Inf` included, plus `_sum` and `_count`.
    var sampleCount: Int {
        type == .histogram ? histograms.reduce(0) { $0 + $1.histogram.upperBounds.count + 3 } : samples.count
    }
}
