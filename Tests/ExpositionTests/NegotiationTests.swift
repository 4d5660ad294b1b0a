import Exposition
import Testing

@Suite struct NegotiationTests {
    @Test(
        arguments: [
            (nil, ExpositionFormat.prometheusText),
            ("", .prometheusText),
            (
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                    + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
                .openMetrics
            ),
            ("application/openmetrics-text", .openMetrics),
            ("Application/OpenMetrics-Text; Version=\"1.0.0\"", .openMetrics),
            ("application/openmetrics-text;version=0.0.1", .prometheusText),
            ("text/plain;q=0.9, application/openmetrics-text;q=0.8", .prometheusText),
            ("text/plain;q=0.5, application/openmetrics-text;q=0.8", .openMetrics),
            ("application/openmetrics-text, text/plain", .openMetrics),
            ("text/plain, application/openmetrics-text", .prometheusText),
            ("*/*", .prometheusText),
            ("*/*;q=1, application/openmetrics-text;q=0.5", .prometheusText),
            ("text/*;q=0.9, application/openmetrics-text;q=0.5", .prometheusText),
            ("*/*, application/openmetrics-text", .openMetrics),
            ("application/openmetrics-text;q=0.5, */*;q=0.5", .openMetrics),
            ("application/openmetrics-text;q=0", .prometheusText),
            ("application/openmetrics-text;q=abc", .prometheusText),
            ("application/openmetrics-text;q=1.5", .prometheusText),
            ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", .prometheusText),
            ("application/json", .prometheusText),
            ("text/plain;version=1.0.0, application/openmetrics-text;q=0.5", .openMetrics),
            ("garbage, ,;;, application/openmetrics-text ; q=0.3", .openMetrics),
        ] as [(String?, ExpositionFormat)])
    func negotiates(accept: String?, expected: ExpositionFormat) {
        #expect(ExpositionFormat.negotiate(accept: accept) == expected)
    }

    @Test func contentTypesAreExact() {
        #expect(ExpositionFormat.prometheusText.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(
            ExpositionFormat.openMetrics.contentType == "application/openmetrics-text; version=1.0.0; charset=utf-8"
        )
    }
}
