import Exposition
import Synchronization
import WebServer

/// Renders the snapshot's part of `/metrics` once per snapshot version and format, and keeps
/// its gzip stream paused after it. A scrape then only renders the process families (the only
/// ones that change between probes) and appends them: byte for byte what a full render gives,
/// because every snapshot family sorts before `process_*`.
final class ScrapeCache: Sendable {
    private struct Entry: Sendable {
        let version: UInt64
        let format: ExpositionFormat
        /// The snapshot families, without OpenMetrics' `# EOF`.
        let prefix: [UInt8]
        let gzip: GzipPrefix?
    }

    private let entry = Mutex<Entry?>(nil)

    /// The body, gzipped when `gzip` is set.
    func body(
        _ snapshot: Snapshot, collector: Collector, format: ExpositionFormat, process: ProcessMetrics, gzip: Bool
    ) -> [UInt8] {
        let cached = prefix(snapshot, collector: collector, format: format, gzip: gzip)
        var suffix: [UInt8] = []
        format.render(Collector.processFamilies(process), into: &suffix)
        if gzip, let paused = cached.gzip { return paused.finish(with: suffix) }
        return cached.prefix + suffix
    }

    private func prefix(_ snapshot: Snapshot, collector: Collector, format: ExpositionFormat, gzip: Bool) -> Entry {
        if let hit = entry.withLock({ $0 }), hit.version == snapshot.version, hit.format == format,
            !gzip || hit.gzip != nil
        {
            return hit
        }
        // Rendered outside the lock: a slow render must not hold up a scrape that could hit.
        var body = MetricsPage.render(snapshot, collector: collector, format: format, process: nil)
        if format == .openMetrics, body.suffix(6).elementsEqual("# EOF\n".utf8) { body.removeLast(6) }
        let fresh = Entry(
            version: snapshot.version, format: format, prefix: body, gzip: gzip ? GzipPrefix(prefix: body) : nil)
        entry.withLock { $0 = fresh }
        return fresh
    }
}
