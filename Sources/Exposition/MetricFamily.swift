/// The kinds of metric the exporter exposes.
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    case gauge, counter, histogram, info, unknown
}

/// One series of a gauge, counter, info or unknown family.
public struct Sample: Sendable, Equatable {
    public let labels: LabelSet
    public let value: Double
}

/// One series of a histogram family.
public struct HistogramSample: Sendable, Equatable {
    public let labels: LabelSet
    public let histogram: Histogram
}

/// A metric family: name, HELP, TYPE, optional UNIT and its series.
///
/// `name` is the base name: a counter given as `x_total` or an info given as `x_info` is
/// stored as `x`, and each format adds the suffixes it requires when rendering.
public struct MetricFamily: Sendable {
    public let name: String
    public let help: String
    public let type: MetricType
    public let unit: String?
    public private(set) var samples: [Sample] = []
    public private(set) var histograms: [HistogramSample] = []
    /// True while every series was added in strictly increasing label order, so the renderer
    /// can skip sorting (and there can be no duplicate). Adding in `LabelSet` order is cheapest.
    private(set) var isStrictlyOrdered = true

    public init(name: String, help: String, type: MetricType, unit: String? = nil) throws(ExpositionError) {
        try validateMetricName(name)
        var base = name
        if type == .counter, name.hasSuffix("_total"), name.utf8.count > 6 { base = String(name.dropLast(6)) }
        if type == .info, name.hasSuffix("_info"), name.utf8.count > 5 { base = String(name.dropLast(5)) }
        guard !help.isEmpty else { throw .emptyHelp(metric: name) }
        if let unit {
            if type == .info { throw .invalidUnit(metric: name, unit: unit, reason: "info metrics have no unit") }
            guard !unit.isEmpty, unit.utf8.allSatisfy({ isNameByte($0) }) else {
                throw .invalidUnit(metric: name, unit: unit, reason: "a unit may hold only letters, digits and '_'")
            }
            guard base.hasSuffix("_" + unit) else {
                throw .invalidUnit(metric: name, unit: unit, reason: "the name must end with \"_\(unit)\"")
            }
        }
        self.name = base
        self.help = help
        self.type = type
        self.unit = unit
    }

    /// Adds a series of a gauge, counter, info or unknown family. Info series always render `1`.
    public mutating func add(_ labels: LabelSet, _ value: Double = 1) {
        precondition(type != .histogram, "add(_:histogram:) is the way to add to histogram family \(name)")
        if isStrictlyOrdered, let last = samples.last, !(last.labels < labels) { isStrictlyOrdered = false }
        samples.append(Sample(labels: labels, value: value))
    }

    /// Adds a series of a histogram family; the label set must not hold `le`.
    public mutating func add(_ labels: LabelSet, histogram: Histogram) {
        precondition(type == .histogram, "add(_:_:) is the way to add to \(type) family \(name)")
        precondition(!labels.pairs().contains { $0.name.elementsEqual("le".utf8) }, "le is reserved in \(name)")
        if isStrictlyOrdered, let last = histograms.last, !(last.labels < labels) { isStrictlyOrdered = false }
        histograms.append(HistogramSample(labels: labels, histogram: histogram))
    }

    /// Reserves room for `count` series, for families about to receive one per atSign.
    public mutating func reserveCapacity(_ count: Int) {
        if type == .histogram { histograms.reserveCapacity(count) } else { samples.reserveCapacity(count) }
    }

    /// How many series the family holds.
    public var seriesCount: Int { type == .histogram ? histograms.count : samples.count }
}

/// A letter, digit or underscore.
func isNameByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
}
