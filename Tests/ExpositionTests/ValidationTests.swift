import Exposition
import Testing

@Suite struct ValidationTests {
    @Test(arguments: ["a", "_x", "a:b", "atsign_up", "Z9_:"])
    func acceptsMetricName(name: String) throws {
        try validateMetricName(name)
    }

    @Test(arguments: [
        ("", #"invalid metric name "": it is empty"#),
        ("1abc", #"invalid metric name "1abc": it must start with a letter, '_' or ':', found '1' at offset 0"#),
        (
            "a-b",
            #"invalid metric name "a-b": it may hold only letters, digits, '_' and ':', found '-' at offset 1"#
        ),
        ("émile", #"invalid metric name "émile": it must start with a letter, '_' or ':', found 'é' at offset 0"#),
        ("a\nb", #"invalid metric name "a\nb": it may hold only letters, digits, '_' and ':', found '\n' at offset 1"#),
    ])
    func refusesMetricName(name: String, message: String) {
        #expect(throws: ExpositionError.self) { try validateMetricName(name) }
        do { try validateMetricName(name) } catch { #expect(error.description == message) }
    }

    @Test(arguments: [
        ("a:b", #"invalid label name "a:b": it may hold only letters, digits and '_', found ':' at offset 1"#),
        ("9", #"invalid label name "9": it must start with a letter or '_', found '9' at offset 0"#),
        ("__name__", #"invalid label name "__name__": names starting with "__" are reserved for Prometheus"#),
    ])
    func refusesLabelName(name: String, message: String) {
        do {
            try validateLabelName(name)
            Issue.record("\(name) was accepted")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func familyRefusesBadInput() {
        #expect(throws: ExpositionError.emptyHelp(metric: "x")) { try MetricFamily(name: "x", help: "", type: .gauge) }
        #expect(ExpositionError.emptyHelp(metric: "x").description == #"metric "x" has an empty HELP text"#)
        #expect(throws: ExpositionError.self) { try MetricFamily(name: "x y", help: "h", type: .gauge) }
        do {
            _ = try MetricFamily(name: "x_bytes", help: "h", type: .gauge, unit: "seconds")
            Issue.record("unit mismatch accepted")
        } catch {
            #expect(
                error.description == #"invalid unit "seconds" for metric "x_bytes": the name must end with "_seconds""#)
        }
        #expect(throws: ExpositionError.self) { try MetricFamily(name: "x_info", help: "h", type: .info, unit: "info") }
        #expect(throws: ExpositionError.self) { try MetricFamily(name: "x_a-b", help: "h", type: .gauge, unit: "a-b") }
    }

    @Test func familyStripsTypeSuffixes() throws {
        #expect(try MetricFamily(name: "x_total", help: "h", type: .counter).name == "x")
        #expect(try MetricFamily(name: "x_info", help: "h", type: .info).name == "x")
        #expect(try MetricFamily(name: "x_total", help: "h", type: .gauge).name == "x_total")
        #expect(try MetricFamily(name: "x_info", help: "h", type: .gauge).name == "x_info")
    }

    @Test func histogramRefusesBadBounds() {
        #expect(
            throws: ExpositionError.invalidHistogram(
                "bucket bounds must increase strictly, but 1.0 at index 1 follows 2.0")
        ) {
            try Histogram(upperBounds: [2, 1])
        }
        #expect(throws: ExpositionError.self) { try Histogram(upperBounds: [1, 1]) }
        #expect(throws: ExpositionError.invalidHistogram("bucket bound nan at index 0 is not finite; +Inf is implicit"))
        {
            try Histogram(upperBounds: [.nan])
        }
        #expect(throws: ExpositionError.self) { try Histogram(upperBounds: [1, .infinity]) }
        #expect(ExpositionError.invalidHistogram("x").description == "invalid histogram: x")
    }

    @Test func histogramCountsUpToAndIncludingEachBound() throws {
        var histogram = try Histogram(upperBounds: [1, 2])
        for value in [0.5, 1, 1.5, 2, 3, .nan] { histogram.observe(value) }
        #expect(histogram.bucketCounts == [2, 2, 1])
        #expect(histogram.count == 5)
        #expect(histogram.sum == 8)
        var other = try Histogram(upperBounds: [1, 2])
        other.observe(0)
        try histogram.merge(other)
        #expect(histogram.bucketCounts == [3, 2, 1])
        #expect(throws: ExpositionError.self) { try histogram.merge(try Histogram(upperBounds: [1])) }
    }
}
