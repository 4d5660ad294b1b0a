/// A family's exposition in two parts: its HELP/TYPE lines and its series lines.
///
/// A cache that keeps each atSign's series pre-rendered assembles a page from these parts and
/// must give exactly what `render(_:into:)` gives: the header of every family with series, in
/// `familyName` order, then its series in label order.
extension ExpositionFormat {
    /// Appends the HELP, TYPE (and in OpenMetrics UNIT) lines of `family`.
    public func renderHeader(_ family: MetricFamily, into output: inout [UInt8]) {
        writeHeader(family, name: familyName(family), to: &output)
    }

    /// Appends the series lines of `family` in label order, nothing when it has none.
    public func renderSeries(_ family: MetricFamily, into output: inout [UInt8]) {
        var report = RenderReport()
        if family.type == .histogram {
            writeHistograms(family, to: &output, report: &report)
        } else {
            writeSamples(family, to: &output, report: &report)
        }
    }
}
