import Testing

@testable import Basics

@Suite struct DurationParsingTests {
    static let valid: [(String, Int64)] = [
        ("500ms", 500), ("10s", 10_000), ("1m", 60_000), ("1h30m", 5_400_000), ("1d", 86_400_000),
        ("2w", 1_209_600_000), ("1y", 31_536_000_000), ("0s", 0), ("0", 0), ("1y2w3d4h5m6s7ms", 33_019_506_007),
        ("90m", 5_400_000),
    ]

    @Test(arguments: valid)
    func parsesPrometheusDurations(text: String, milliseconds: Int64) throws {
        #expect(try PrometheusDuration(parsing: text).milliseconds == milliseconds)
    }

    @Test func convertsToSwiftDuration() throws {
        #expect(try PrometheusDuration(parsing: "1h30m").duration == .seconds(5400))
        #expect(try PrometheusDuration(parsing: "500ms").duration == .milliseconds(500))
    }

    static let invalid: [(String, String)] = [
        ("10x", "unknown unit \"x\" (one of y, w, d, h, m, s, ms)"),
        ("", "it is empty"),
        ("10", "missing unit after 10 (one of y, w, d, h, m, s, ms)"),
        ("s", "missing number before unit \"s\""),
        ("1.5s", "fractions are not allowed, use a smaller unit (1500ms, not 1.5s)"),
        ("-1s", "it is negative"),
        ("1s1m", "unit \"m\" is repeated or out of order: write units from y down to ms, each at most once"),
        ("1s1s", "unit \"s\" is repeated or out of order: write units from y down to ms, each at most once"),
        ("1s ", "unexpected character \" \""),
        ("300y", "it is too long (at most 292y)"),
        ("99999999999999999999s", "it is too long (at most 292y)"),
    ]

    @Test(arguments: invalid)
    func rejectsInvalidDurations(text: String, reason: String) {
        #expect(throws: DurationError(input: text, reason: reason)) { try PrometheusDuration(parsing: text) }
    }

    @Test func errorDescriptionQuotesTheInput() {
        let error = DurationError(input: "10x", reason: "unknown unit \"x\"")
        #expect(error.description == "invalid duration \"10x\": unknown unit \"x\"")
    }

    static let formatted: [(Int64, String)] = [
        (90_000, "1m30s"), (0, "0s"), (500, "500ms"), (86_400_000 * 90, "90d"), (86_400_000 * 91, "13w"),
        (31_536_000_000, "1y"), (31_536_000_000 + 1000, "365d1s"), (3_601_001, "1h1s1ms"),
    ]

    @Test(arguments: formatted)
    func formatsLikePrometheus(milliseconds: Int64, text: String) {
        #expect(PrometheusDuration(milliseconds: milliseconds).description == text)
    }

    @Test func formattingRoundTrips() throws {
        for text in ["1m30s", "500ms", "1h", "2w", "1y", "3d4h"] {
            #expect(try PrometheusDuration(parsing: text).description == text)
        }
    }

    @Test func swiftDurationsFormatTruncatingBelowAMillisecond() {
        #expect(Duration.seconds(90).prometheusDescription == "1m30s")
        #expect(Duration.microseconds(1500).prometheusDescription == "1ms")
        #expect(Duration.seconds(-5).prometheusDescription == "0s")
    }
}
