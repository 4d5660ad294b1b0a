import Testing

@testable import Exposition

@Suite struct NumberFormattingTests {
    private func format(_ value: Double, _ style: NumberStyle) -> String {
        var bytes: [UInt8] = []
        bytes.appendNumber(value, style: style)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test(arguments: [
        (1.0, "1"), (0.0, "0"), (-0.0, "0"), (200.0, "200"), (-3.0, "-3"), (0.125, "0.125"), (0.1, "0.1"),
        (-1.5, "-1.5"), (1.7e9, "1700000000"), (1_700_000_000.123456, "1700000000.123456"),
        (0.0001, "0.0001"), (1e-5, "1e-05"), (-1e-7, "-1e-07"), (1e15, "1000000000000000"),
        (1e20, "100000000000000000000"), (1e21, "1e+21"), (123_456_789_012_345_678.0, "123456789012345680"),
        (0.30000000000000004, "0.30000000000000004"), (Double.leastNonzeroMagnitude, "5e-324"),
        (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"), (Double.nan, "NaN"),
        (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
    ])
    func textValues(value: Double, expected: String) {
        #expect(format(value, .textValue) == expected)
    }

    @Test(arguments: [
        (1.0, "1.0"), (0.0, "0.0"), (-2.0, "-2.0"), (0.5, "0.5"), (1.7e9, "1700000000.0"), (1e21, "1e+21"),
        (1e-5, "1e-05"), (Double.nan, "NaN"), (Double.infinity, "+Inf"),
    ])
    func openMetricsValues(value: Double, expected: String) {
        #expect(format(value, .openMetricsValue) == expected)
    }

    @Test(arguments: [
        (0.005, "0.005"), (1.0, "1"), (2.5, "2.5"), (10.0, "10"), (100_000.0, "100000"), (1e6, "1e+06"),
        (1_234_567.0, "1.234567e+06"), (0.0001, "0.0001"), (1e-5, "1e-05"), (Double.infinity, "+Inf"),
    ])
    func textBoundsLikeGo(value: Double, expected: String) {
        #expect(format(value, .textBound) == expected)
    }

    /// The canonical renderings listed in the OpenMetrics 1.0 spec for `le` and `quantile`.
    @Test func openMetricsCanonicalBounds() {
        let decimals: [Double] = [0.0, 0.001, 0.002, 0.01, 0.1, 0.9, 0.95, 0.99, 0.999, 1.0, 1.7, 10.0]
        #expect(
            decimals.map { format($0, .openMetricsBound) }.joined(separator: " ")
                == "0.0 0.001 0.002 0.01 0.1 0.9 0.95 0.99 0.999 1.0 1.7 10.0")
        let powers: [Double] = [1e-10, 1e-09, 1e-05, 0.0001, 0.1, 1.0, 100_000.0, 1e+06, 1e+10]
        #expect(
            powers.map { format($0, .openMetricsBound) }.joined(separator: " ")
                == "1e-10 1e-09 1e-05 0.0001 0.1 1.0 100000.0 1e+06 1e+10")
    }

    /// Every style parses back to the same Double, over a deterministic spread of bit patterns.
    @Test func roundTrips() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var checked = 0
        while checked < 20_000 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = (state ^ (state >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            let value = Double(bitPattern: mixed ^ (mixed >> 31))
            guard value.isFinite else { continue }
            checked += 1
            for style in [NumberStyle.textValue, .openMetricsValue, .textBound, .openMetricsBound] {
                let text = format(value, style)
                #expect(Double(text) == value, "\(value) rendered as \(text)")
            }
        }
    }

    /// The runtime normally hands over raw ASCII; a plain String must give the same layout.
    @Test func stringFallbackGivesTheSameLayout() {
        var writer = ShortestDigitsWriter(style: .openMetricsBound)
        writer.write("-1.5e+07")
        #expect(String(decoding: writer.output, as: UTF8.self) == "-1.5e+07")
        var plain = ShortestDigitsWriter(style: .openMetricsValue)
        plain.write("1.7e+09")
        #expect(String(decoding: plain.output, as: UTF8.self) == "1700000000.0")
    }
}
