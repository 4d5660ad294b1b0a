import AtStatus
import TestSupport
import Testing

@testable import Exporter

/// `/` for a fleet: bounded size, problems first, filter and paging, escaping, 400s.
@Suite(.timeLimit(.minutes(1))) struct LandingPageTests {
    /// `count` atSigns: the last 50 in trouble (20 unavailable, 10 error, 10 teapot, 5 notFound),
    /// then 5 never probed; the rest activated. Status changes are 1 s apart in name order.
    static func snapshot(count: Int) throws -> Snapshot {
        let store = SnapshotStore(rootAddress: "root.example:64")
        let atSigns = try (0..<count).map { try AtSign(String(format: "@fleet%05d", $0)) }
        store.setTargets(atSigns)
        for (index, atSign) in atSigns.enumerated() {
            let fromEnd = count - index
            guard fromEnd > 5 else { continue }
            var result: ProbeResult
            switch fromEnd {
            case 31...50: result = FakeChecker.result(atSign, .found, .unavailable)
            case 21...30: result = FakeChecker.result(atSign, .error, .unavailable)
            case 11...20: result = FakeChecker.result(atSign, .found, .teapot)
            case 6...10: result = FakeChecker.result(atSign, .notFound, .unavailable)
            default: result = FakeChecker.result(atSign, .found, .activated)
            }
            if !result.succeeded {
                result.failure = ProbeFailure(reason: .timeout, phase: .serverCheck, message: "timed <out> & gone")
            }
            result.finishedAt = 1_700_000_000 + Double(index)
            store.record(result)
        }
        return store.snapshot
    }

    static func render(_ snapshot: Snapshot, _ query: LandingQuery = LandingQuery()) throws -> String {
        try LandingPage.render(snapshot: snapshot, query: query, telemetryPath: "/metrics", shard: "0/1")
    }

    /// The atSigns linked in one section, in page order.
    static func linked(_ html: String, section: String) -> [String] {
        guard let start = html.range(of: "<h2>\(section)") else { return [] }
        let body = html[start.upperBound...]
        let end = body.range(of: "<h2>")?.lowerBound ?? body.endIndex
        return body[..<end].components(separatedBy: "<a href=\"/api/v1/status/").dropFirst().map {
            String($0.prefix { $0 != "\"" })
        }
    }

    @Test func firstPageLeadsWithCountsAndProblemsAndStaysBounded() throws {
        let html = try Self.render(try Self.snapshot(count: 300))
        #expect(
            html.contains(
                "<td><a href=\"/?status=activated\"><span class=\"s\" style=\"background:#1a7f37\">activated</span></a></td><td>250</td>"
            ))
        #expect(html.contains("<tr><td>not probed yet</td><td>5</td></tr>"))
        let problems = Self.linked(html, section: "Problems")
        #expect(problems.count == 45)
        // Failing first (newest first), then teapot and notFound.
        #expect(problems.first == "@fleet00279" && problems[29] == "@fleet00250")
        #expect(problems[30] == "@fleet00294" && problems.last == "@fleet00280")
        #expect(html.contains("timeout: timed &lt;out&gt; &amp; gone"))
        #expect(!html.contains("<out>"))
        let list = Self.linked(html, section: "All atSigns")
        #expect(list.count == 100 && list.first == "@fleet00000" && list.last == "@fleet00099")
        #expect(html.contains("<p>page 1 of 3 · <a href=\"/?page=2\">next</a></p>"))
        let large = try Self.render(try Self.snapshot(count: 3000))
        #expect(large.utf8.count < html.utf8.count + 2000, "\(large.utf8.count) vs \(html.utf8.count)")
        #expect(large.contains("<td>2950</td>") && large.contains("page 1 of 30"))
    }

    @Test func statusFilterAndPaging() throws {
        let snapshot = try Self.snapshot(count: 300)
        let errors = try Self.render(snapshot, LandingQuery(status: .error))
        #expect(!errors.contains("<h2>Problems"))
        let rows = Self.linked(errors, section: "atSigns with status error")
        #expect(rows == (270..<280).map { String(format: "@fleet%05d", $0) })
        #expect(!errors.contains("page 1 of"))
        let third = try Self.render(snapshot, LandingQuery(page: 3))
        #expect(Self.linked(third, section: "All atSigns").count == 100)
        #expect(third.contains("<a href=\"/?page=2\">previous</a> · page 3 of 3</p>"))
        #expect(third.contains("<td colspan=\"8\">not probed yet</td>"))
        let many = try Self.snapshot(count: 2500)
        let filtered = try Self.render(many, LandingQuery(status: .activated, page: 2))
        #expect(filtered.contains("<a href=\"/?status=activated\">previous</a> · page 2 of 25 · "))
        #expect(filtered.contains("<a href=\"/?status=activated&amp;page=3\">next</a>"))
        #expect(throws: LandingQuery.Problem(message: "page 4 is past the last page, 3")) {
            try Self.render(snapshot, LandingQuery(page: 4))
        }
    }

    @Test func atSignNamesAreEscapedInTextAndLinks() throws {
        let store = SnapshotStore(rootAddress: "<root>")
        let odd = try AtSign("@<b>&'x?#/%")
        store.setTargets([odd])
        store.record(FakeChecker.result(odd, .found, .activated))
        let html = try Self.render(store.snapshot)
        #expect(html.contains("href=\"/api/v1/status/@%3Cb%3E%26%27x%3F%23%2F%25\">@&lt;b&gt;&amp;&#39;x?#/%</a>"))
        #expect(html.contains("root &lt;root&gt;") && !html.contains("<b>"))
    }

    @Test func badQueriesAre400WithAMessage() async throws {
        try await ExporterHarness.with(scenarios: RoutesTests.fleet) { harness in
            await harness.round()
            let cases = [
                (
                    "/?status=bogus",
                    "unknown status \"bogus\": use one of notFound, teapot, activated, unavailable, error"
                ),
                ("/?page=0", "page must be a whole number from 1, not \"0\""),
                ("/?page=two", "page must be a whole number from 1, not \"two\""),
                ("/?page=2", "page 2 is past the last page, 1"),
                ("/?sort=name", "unknown parameter \"sort\": the page takes status and page"),
                ("/?page=1&page=1", "page is given twice; give it once"),
            ]
            for (target, message) in cases {
                let answer = try await harness.respond(target)
                #expect(answer.status == 400 && answer.body == message + "\n", "\(target): \(answer.body)")
            }
            let teapots = try await harness.respond("/?status=teapot")
            #expect(
                teapots.status == 200 && teapots.body.contains(">@bob</a>") && !teapots.body.contains(">@alice</a>"))
            let notFound = try await harness.respond("/?status=notfound")
            #expect(notFound.status == 200 && notFound.body.contains("atSigns with status notFound"))
        }
    }
}
