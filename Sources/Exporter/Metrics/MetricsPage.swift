import Exposition

/// The body of `/metrics` for a snapshot, as one buffer. Routes serve it; `atsign_bench` times it
/// in-process, so the benchmark measures exactly the code a scrape runs.
public enum MetricsPage {
    /// Renders the snapshot's families (and the process families when given) in `format`.
    public static func render(_ snapshot: Snapshot, format: ExpositionFormat, includeProcess: Bool = true)
        -> [UInt8]
    {
        let families = Collector().families(snapshot, process: includeProcess ? ProcessMetrics.read() : nil)
        var body: [UInt8] = []
        body.reserveCapacity(families.reduce(0) { $0 + $1.seriesCount } * 80)
        format.render(families, into: &body)
        return body
    }
}
