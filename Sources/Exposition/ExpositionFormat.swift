/// The two text formats `/metrics` can answer in.
public enum ExpositionFormat: Sendable, Hashable, CaseIterable {
    /// Prometheus text format 0.0.4, the default.
    case prometheusText
    /// OpenMetrics 1.0.0, ending with `# EOF`.
    case openMetrics

    /// The exact `Content-Type` header value of an answer in this format.
    public var contentType: String {
        switch self {
        case .prometheusText: return "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: return "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }
}

/// What a render dropped to keep each series and family name once.
///
/// Duplicates are programming errors upstream; the renderer keeps the first one added (or, for
/// families, the first in the input array) so the output stays valid and deterministic, and
/// reports the rest here for the caller to log.
public struct RenderReport: Sendable, Equatable {
    /// Series dropped because an earlier series of the family had the same labels.
    public internal(set) var droppedSeries = 0
    /// Families dropped because an earlier family rendered under the same name.
    public internal(set) var droppedFamilies = 0
    /// Up to `maximumExamples` of what was dropped, e.g. `atsign_up{atsign="@alice"}`.
    public internal(set) var examples: [String] = []

    public static let maximumExamples = 10

    /// True when nothing was dropped.
    public var isClean: Bool { droppedSeries == 0 && droppedFamilies == 0 }

    mutating func noteSeries(_ name: [UInt8], _ labels: LabelSet) {
        droppedSeries += 1
        if examples.count < Self.maximumExamples {
            examples.append(String(decoding: name, as: UTF8.self) + "\(labels)")
        }
    }

    mutating func noteFamily(_ name: [UInt8]) {
        droppedFamilies += 1
        if examples.count < Self.maximumExamples { examples.append("family " + String(decoding: name, as: UTF8.self)) }
    }
}

extension ExpositionFormat {
    /// Appends the exposition of `families` to `output`, reserving its size first.
    ///
    /// Families are sorted by the name they show in this format, series by label values; a
    /// family without series is left out (client_golang drops them too). Per series, only
    /// prerendered bytes and the value are appended: nothing is allocated.
    @discardableResult
    public func render(_ families: [MetricFamily], into output: inout [UInt8]) -> RenderReport {
        let names = families.map { familyName($0) }
        let order = families.indices.sorted {
            names[$0].lexicographicallyPrecedes(names[$1]) || (names[$0] == names[$1] && $0 < $1)
        }
        output.reserveCapacity(output.count + families.reduce(64) { $0 + estimatedSize($1) })
        var report = RenderReport()
        var previous: [UInt8]? = nil
        for index in order {
            let family = families[index]
            if previous == names[index] {
                report.noteFamily(names[index])
                continue
            }
            guard family.seriesCount > 0 else { continue }
            previous = names[index]
            writeHeader(family, name: names[index], to: &output)
            if family.type == .histogram {
                writeHistograms(family, to: &output, report: &report)
            } else {
                writeSamples(family, to: &output, report: &report)
            }
        }
        if self == .openMetrics { output.appendLiteral("# EOF\n") }
        return report
    }

    /// Renders into a new buffer; convenient for tests and small expositions.
    public func render(_ families: [MetricFamily]) -> (bytes: [UInt8], report: RenderReport) {
        var bytes: [UInt8] = []
        let report = render(families, into: &bytes)
        return (bytes, report)
    }

    /// The name on the HELP/TYPE lines: 0.0.4 has no info type and wants counters as `x_total`.
    /// Families are sorted by it, so it differs between the formats.
    public func familyName(_ family: MetricFamily) -> [UInt8] {
        if self == .openMetrics { return Array(family.name.utf8) }
        return sampleName(family)
    }

    /// The name on the sample lines, the same in both formats.
    func sampleName(_ family: MetricFamily) -> [UInt8] {
        switch family.type {
        case .counter: return Array((family.name + "_total").utf8)
        case .info: return Array((family.name + "_info").utf8)
        case .gauge, .histogram, .unknown: return Array(family.name.utf8)
        }
    }

    private func typeWord(_ type: MetricType) -> StaticString {
        switch (self, type) {
        case (_, .gauge), (.prometheusText, .info): return "gauge"
        case (_, .counter): return "counter"
        case (_, .histogram): return "histogram"
        case (.openMetrics, .info): return "info"
        case (.prometheusText, .unknown): return "untyped"
        case (.openMetrics, .unknown): return "unknown"
        }
    }

    /// 0.0.4 conventionally writes HELP then TYPE; OpenMetrics asks for TYPE, UNIT, HELP and
    /// escapes `"` in HELP as well, which 0.0.4 must not.
    func writeHeader(_ family: MetricFamily, name: [UInt8], to output: inout [UInt8]) {
        if self == .prometheusText { writeHelp(family, name: name, to: &output) }
        output.appendLiteral("# TYPE ")
        output.append(contentsOf: name)
        output.append(UInt8(ascii: " "))
        output.appendLiteral(typeWord(family.type))
        output.append(UInt8(ascii: "\n"))
        if self == .openMetrics, let unit = family.unit {
            output.appendLiteral("# UNIT ")
            output.append(contentsOf: name)
            output.append(UInt8(ascii: " "))
            output.append(contentsOf: unit.utf8)
            output.append(UInt8(ascii: "\n"))
        }
        if self == .openMetrics { writeHelp(family, name: name, to: &output) }
    }

    private func writeHelp(_ family: MetricFamily, name: [UInt8], to output: inout [UInt8]) {
        output.appendLiteral("# HELP ")
        output.append(contentsOf: name)
        output.append(UInt8(ascii: " "))
        appendEscaped(family.help, to: &output, escapeQuote: self == .openMetrics)
        output.append(UInt8(ascii: "\n"))
    }

    private func estimatedSize(_ family: MetricFamily) -> Int {
        let header = 3 * family.name.utf8.count + family.help.utf8.count + 48
        if family.type != .histogram {
            return family.samples.reduce(header) { $0 + $1.labels.renderedCount + family.name.utf8.count + 32 }
        }
        return family.histograms.reduce(header) {
            $0 + ($1.histogram.upperBounds.count + 3) * ($1.labels.renderedCount + family.name.utf8.count + 48)
        }
    }
}
