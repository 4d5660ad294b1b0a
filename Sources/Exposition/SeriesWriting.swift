/// The per-series loops of the renderer: the hot path of a scrape.
///
/// Series are read through unsafe buffers so that each one is borrowed, not copied: a copy
/// would retain and release both label buffers, which was a third of the render time.
extension ExpositionFormat {
    private var valueStyle: NumberStyle { self == .openMetrics ? .openMetricsValue : .textValue }
    private var boundStyle: NumberStyle { self == .openMetrics ? .openMetricsBound : .textBound }

    func writeSamples(_ family: MetricFamily, to output: inout [UInt8], report: inout RenderReport) {
        let name = sampleName(family)
        let style = valueStyle
        let isInfo = family.type == .info
        name.withUnsafeBufferPointer { nameBytes in
            family.samples.withUnsafeBufferPointer { samples in
                let order = family.isStrictlyOrdered ? nil : labelOrder(samples)
                for position in samples.indices {
                    let index = order?[position] ?? position
                    if let order, position > 0, samples[order[position - 1]].labels == samples[index].labels {
                        report.noteSeries(name, samples[index].labels)
                        continue
                    }
                    output.append(contentsOf: nameBytes)
                    samples[index].labels.write(to: &output)
                    output.append(UInt8(ascii: " "))
                    if isInfo {
                        output.append(UInt8(ascii: "1"))
                    } else {
                        output.appendNumber(samples[index].value, style: style)
                    }
                    output.append(UInt8(ascii: "\n"))
                }
            }
        }
    }

    func writeHistograms(_ family: MetricFamily, to output: inout [UInt8], report: inout RenderReport) {
        let name = Array(family.name.utf8)
        family.histograms.withUnsafeBufferPointer { series in
            let order = family.isStrictlyOrdered ? nil : labelOrder(series)
            for position in series.indices {
                let index = order?[position] ?? position
                if let order, position > 0, series[order[position - 1]].labels == series[index].labels {
                    report.noteSeries(name, series[index].labels)
                    continue
                }
                writeHistogram(series[index], name: name, to: &output)
            }
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
}

/// A series with a label set, so one sort serves samples and histograms.
protocol LabeledSeries {
    var labels: LabelSet { get }
}

extension Sample: LabeledSeries {}
extension HistogramSample: LabeledSeries {}

/// Indices of `series` in label order; among equal label sets the first added comes first,
/// which is the one the renderer keeps.
func labelOrder<Series: LabeledSeries>(_ series: UnsafeBufferPointer<Series>) -> [Int] {
    var order = Array(series.indices)
    order.sort { left, right in
        let comparison = compareLabelBytes(series[left].labels, series[right].labels)
        return comparison < 0 || (comparison == 0 && left < right)
    }
    return order
}
