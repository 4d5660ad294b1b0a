/// The per-series loops of the renderer: the hot path of a scrape.
extension ExpositionFormat {
    private var valueStyle: NumberStyle { self == .openMetrics ? .openMetricsValue : .textValue }
    private var boundStyle: NumberStyle { self == .openMetrics ? .openMetricsBound : .textBound }

    func writeSamples(_ family: MetricFamily, to output: inout [UInt8], report: inout RenderReport) {
        let name = sampleName(family)
        let samples = family.samples
        let style = valueStyle
        let isInfo = family.type == .info
        forEachUnique(samples.count, ordered: family.isStrictlyOrdered, labels: { samples[$0].labels }) { index in
            let sample = samples[index]
            output.append(contentsOf: name)
            sample.labels.write(to: &output)
            output.append(UInt8(ascii: " "))
            if isInfo { output.append(UInt8(ascii: "1")) } else { output.appendNumber(sample.value, style: style) }
            output.append(UInt8(ascii: "\n"))
        } duplicate: { index in
            report.noteSeries(name, samples[index].labels)
        }
    }

    func writeHistograms(_ family: MetricFamily, to output: inout [UInt8], report: inout RenderReport) {
        let name = Array(family.name.utf8)
        let series = family.histograms
        forEachUnique(series.count, ordered: family.isStrictlyOrdered, labels: { series[$0].labels }) { index in
            writeHistogram(series[index], name: name, to: &output)
        } duplicate: { index in
            report.noteSeries(name, series[index].labels)
        }
    }

    /// `_bucket` lines with cumulative counts and `le` last, then `_sum` and `_count`, as client_golang.
    private func writeHistogram(_ series: HistogramSample, name: [UInt8], to output: inout [UInt8]) {
        let histogram = series.histogram
        var cumulative: UInt64 = 0
        for (index, count) in histogram.bucketCounts.enumerated() {
            cumulative += count
            let bound = index < histogram.upperBounds.count ? histogram.upperBounds[index] : .infinity
            output.append(contentsOf: name)
            output.appendLiteral("_bucket")
            series.labels.write(to: &output, extraName: "le", number: bound, style: boundStyle)
            output.append(UInt8(ascii: " "))
            output.appendUnsigned(cumulative)
            output.append(UInt8(ascii: "\n"))
        }
        output.append(contentsOf: name)
        output.appendLiteral("_sum")
        series.labels.write(to: &output)
        output.append(UInt8(ascii: " "))
        output.appendNumber(histogram.sum, style: valueStyle)
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: name)
        output.appendLiteral("_count")
        series.labels.write(to: &output)
        output.append(UInt8(ascii: " "))
        output.appendUnsigned(histogram.count)
        output.append(UInt8(ascii: "\n"))
    }

    /// Visits series in label order, each label set once: the first added wins, later ones
    /// go to `duplicate`. Sorting is skipped when the family was filled in order.
    private func forEachUnique(
        _ count: Int,
        ordered: Bool,
        labels: (Int) -> LabelSet,
        body: (Int) -> Void,
        duplicate: (Int) -> Void
    ) {
        if ordered {
            for index in 0..<count { body(index) }
            return
        }
        let order = (0..<count).sorted {
            let comparison = compareLabelBytes(labels($0), labels($1))
            return comparison < 0 || (comparison == 0 && $0 < $1)
        }
        var previous: Int? = nil
        for index in order {
            if let previous, labels(previous) == labels(index) {
                duplicate(index)
                continue
            }
            body(index)
            previous = index
        }
    }
}
