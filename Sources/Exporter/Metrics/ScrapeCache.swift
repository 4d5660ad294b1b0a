import Exposition
import Synchronization
import WebServer

/// Renders the snapshot's part of `/metrics` once per snapshot version and format, and keeps
/// its gzip stream paused after it. A scrape then only renders the live families (serving
/// figures and `process_*`, the only ones that change between probes) and appends them: byte
/// for byte what `MetricsPage.render` gives.
final class ScrapeCache: Sendable {
    private struct Entry: Sendable {
        let version: UInt64
        let format: ExpositionFormat
        /// The snapshot families, without OpenMetrics' `# EOF`.
        let prefix: [UInt8]
        let series: Int
        let gzip: GzipPrefix?
    }

    private let entry = Mutex<Entry?>(nil)

    /// The body, gzipped when `gzip` is set, and its sample count.
    func body(
        _ snapshot: Snapshot, collector: Collector, format: ExpositionFormat, live: [MetricFamily], gzip: Bool
    ) -> (bytes: [UInt8], series: Int) {
        let cached = prefix(snapshot, collector: collector, format: format, gzip: gzip)
        var suffix: [UInt8] = []
        format.render(live, into: &suffix)
        let series = cached.series + live.reduce(0) { $0 + $1.sampleCount }
        if gzip, let paused = cached.gzip { return (paused.finish(with: suffix), series) }
        return (cached.prefix + suffix, series)
    }

    private func prefix(_ snapshot: Snapshot, collector: Collector, format: ExpositionFormat, gzip: Bool) -> Entry {
        if let hit = entry.withLock({ $0 }), hit.version == snapshot.version, hit.format == format,
            !gzip || hit.gzip != nil
        {
            return hit
        }
        // Rendered outside the lock: a slow render must not hold up a scrape that could hit.
        let part = MetricsPage.snapshotPart(snapshot, collector: collector, format: format)
        let fresh = Entry(
            version: snapshot.version, format: format, prefix: part.bytes, series: part.series,
            gzip: gzip ? GzipPrefix(prefix: part.bytes) : nil)
        entry.withLock { $0 = fresh }
        return fresh
    }
}
