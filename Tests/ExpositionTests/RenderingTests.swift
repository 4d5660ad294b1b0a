import Testing

@testable import Exposition

@Suite struct RenderingTests {
    private func text(_ format: ExpositionFormat, _ families: [MetricFamily]) -> String {
        String(decoding: format.render(families).bytes, as: UTF8.self)
    }

    @Test func duplicateSeriesKeepTheFirstAdded() throws {
        var family = try MetricFamily(name: "x", help: "h", type: .gauge)
        family.add(try LabelSet(["a": "b"]), 1)
        family.add(try LabelSet(["a": "a"]), 5)
        family.add(try LabelSet(["a": "b"]), 2)
        family.add(try LabelSet(["a": "b"]), 3)
        let (bytes, report) = ExpositionFormat.prometheusText.render([family])
        #expect(String(decoding: bytes, as: UTF8.self) == "# HELP x h\n# TYPE x gauge\nx{a=\"a\"} 5\nx{a=\"b\"} 1\n")
        #expect(report.droppedSeries == 2)
        #expect(report.examples == [#"x{a="b"}"#, #"x{a="b"}"#])
        #expect(!report.isClean)
    }

    @Test func duplicateHistogramSeriesAreDropped() throws {
        var family = try MetricFamily(name: "h", help: "h", type: .histogram)
        family.add(.empty, histogram: try Histogram(upperBounds: [1]))
        family.add(.empty, histogram: try Histogram(upperBounds: [2]))
        let (bytes, report) = ExpositionFormat.prometheusText.render([family])
        #expect(String(decoding: bytes, as: UTF8.self).contains("le=\"1\""))
        #expect(!String(decoding: bytes, as: UTF8.self).contains("le=\"2\""))
        #expect(report.droppedSeries == 1)
    }

    @Test func familiesWithTheSameNameKeepTheFirstInInput() throws {
        var first = try MetricFamily(name: "x_total", help: "first", type: .gauge)
        first.add(.empty, 1)
        var second = try MetricFamily(name: "x", help: "second", type: .counter)
        second.add(.empty, 2)
        let (bytes, report) = ExpositionFormat.prometheusText.render([first, second])
        #expect(String(decoding: bytes, as: UTF8.self) == "# HELP x_total first\n# TYPE x_total gauge\nx_total 1\n")
        #expect(report.droppedFamilies == 1)
        #expect(report.examples == ["family x_total"])
        #expect(ExpositionFormat.openMetrics.render([first, second]).report.isClean)
    }

    @Test func emptyExpositions() throws {
        let empty = try MetricFamily(name: "x", help: "h", type: .gauge)
        #expect(text(.prometheusText, [empty]).isEmpty)
        #expect(text(.openMetrics, [empty]) == "# EOF\n")
        #expect(text(.openMetrics, []) == "# EOF\n")
    }

    @Test func counterAndInfoNamesPerFormat() throws {
        var counter = try MetricFamily(name: "c", help: "h", type: .counter)
        counter.add(.empty, 2)
        var info = try MetricFamily(name: "i", help: "h", type: .info)
        info.add(try LabelSet(["v": "1"]), 0)
        #expect(
            text(.prometheusText, [counter, info])
                == "# HELP c_total h\n# TYPE c_total counter\nc_total 2\n# HELP i_info h\n# TYPE i_info gauge\ni_info{v=\"1\"} 1\n"
        )
        #expect(
            text(.openMetrics, [counter, info])
                == "# TYPE c counter\n# HELP c h\nc_total 2.0\n# TYPE i info\n# HELP i h\ni_info{v=\"1\"} 1\n# EOF\n")
    }

    @Test func unitOnlyInOpenMetrics() throws {
        var family = try MetricFamily(name: "d_seconds", help: "h", type: .gauge, unit: "seconds")
        family.add(.empty, 0.5)
        #expect(!text(.prometheusText, [family]).contains("UNIT"))
        #expect(text(.openMetrics, [family]).contains("# TYPE d_seconds gauge\n# UNIT d_seconds seconds\n"))
    }

    @Test func sortsFamiliesByRenderedName() throws {
        var counter = try MetricFamily(name: "a", help: "h", type: .counter)
        counter.add(.empty, 1)
        var gauge = try MetricFamily(name: "a_b", help: "h", type: .gauge)
        gauge.add(.empty, 1)
        #expect(text(.prometheusText, [counter, gauge]).hasPrefix("# HELP a_b "))
        #expect(text(.openMetrics, [gauge, counter]).hasPrefix("# TYPE a counter"))
    }

    @Test func orderedAndShuffledInputRenderTheSame() throws {
        let sets = try (0..<50).map { try LabelSet(["atsign": "@user\($0)"]) }.sorted()
        var ordered = try MetricFamily(name: "x", help: "h", type: .gauge)
        for (index, labels) in sets.enumerated() { ordered.add(labels, Double(index)) }
        var shuffled = try MetricFamily(name: "x", help: "h", type: .gauge)
        for index in sets.indices.reversed() { shuffled.add(sets[index], Double(index)) }
        #expect(text(.prometheusText, [ordered]) == text(.prometheusText, [shuffled]))
    }
}

@Suite struct OrderTrackingTests {
    @Test func familyKnowsWhenSeriesArriveInOrder() throws {
        let a = try LabelSet(["atsign": "@a"])
        let b = try LabelSet(["atsign": "@b"])
        var ordered = try MetricFamily(name: "x", help: "h", type: .gauge)
        ordered.add(a, 1)
        ordered.add(b, 1)
        #expect(ordered.isStrictlyOrdered)
        var reversed = try MetricFamily(name: "x", help: "h", type: .gauge)
        reversed.add(b, 1)
        reversed.add(a, 1)
        #expect(!reversed.isStrictlyOrdered)
        var repeated = try MetricFamily(name: "x", help: "h", type: .gauge)
        repeated.add(a, 1)
        repeated.add(a, 2)
        #expect(!repeated.isStrictlyOrdered)
    }

    @Test func addingAValueToAHistogramFamilyStops() async {
        await #expect(processExitsWith: .failure) {
            var family = try MetricFamily(name: "h", help: "h", type: .histogram)
            family.add(.empty, 1)
        }
    }
}
