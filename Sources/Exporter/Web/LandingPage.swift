import AtStatus
import Basics
import WebServer

/// `/`: plain HTML, no scripts, so it works in any browser and in `curl`. Bounded at any fleet
/// size: counts per status, at most one page of problems, one page of the list.
extension Routes {
    func landing(_ request: HTTPRequest) -> HTTPResponse {
        let settings = service.settings
        let html: String
        do throws(LandingQuery.Problem) {
            let query = try LandingQuery(parameters: request.queryParameters)
            html = try LandingPage.render(
                snapshot: service.store.snapshot, query: query, telemetryPath: settings.telemetryPath,
                shard: "\(settings.shard)/\(settings.totalShards)")
        } catch {
            return .text(error.message + "\n", status: 400)
        }
        return HTTPResponse(
            status: 200, contentType: "text/html; charset=utf-8", body: LinkBase.rebase(html, onto: settings.linkBase)
        ).compressed(for: request)
    }
}

enum LandingPage {
    static let colours: [AtSignStatus: String] = [
        .activated: "#1a7f37", .teapot: "#9a6700", .notFound: "#0969da", .unavailable: "#cf222e", .error: "#8250df",
    ]

    static func render(snapshot: Snapshot, query: LandingQuery, telemetryPath: String, shard: String)
        throws(LandingQuery.Problem) -> String
    {
        let selection = try LandingSelection(snapshot, query: query)
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>atsign_exporter</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1em}
            td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}.s{font-weight:bold;color:#fff;\
            padding:.1em .5em;border-radius:.3em}</style></head><body>
            <h1>atsign_exporter</h1>
            <p>Version \(escape(BuildInfo.version)) · root \(escape(snapshot.root.address)) · shard \(escape(shard))
             · \(snapshot.targets.count) atSigns · rounds completed \(snapshot.roundsCompleted)</p>
            <p><a href="\(escape(telemetryPath))">Metrics</a> · <a href="/-/healthy">Health</a> ·
            <a href="/-/ready">Readiness</a> · <a href="/probe?target=@alice">Probe example</a> ·
            <a href="/api/v1/status/@alice">Status API example</a></p>

            """
        html += counts(selection)
        if query.status == nil && query.page == 1 { html += problems(selection.problems) }
        html += list(selection, query: query)
        html += "</body></html>\n"
        return html
    }

    /// Every status with its count, each a link to the list of that status.
    static func counts(_ selection: LandingSelection) -> String {
        var html = "<h2>Status</h2>\n<table><thead><tr><th>Status</th><th>atSigns</th></tr></thead><tbody>\n"
        for status in AtSignStatus.allCases {
            let link = "<a href=\"/?status=\(status.rawValue)\">\(badge(status))</a>"
            html += "<tr><td>\(link)</td><td>\(selection.counts[status] ?? 0)</td></tr>\n"
        }
        html += "<tr><td>not probed yet</td><td>\(selection.notProbed)</td></tr>\n</tbody></table>\n"
        return html
    }

    static func problems(_ problems: [AtSignRecord]) -> String {
        var html = "<h2>Problems</h2>\n"
        guard !problems.isEmpty else { return html + "<p>None: every probed atSign is activated.</p>\n" }
        let shown = problems.prefix(LandingQuery.pageSize)
        if problems.count > shown.count {
            html += "<p>The first \(shown.count) of \(problems.count); the status links above list them all.</p>\n"
        }
        html += "<table><thead><tr><th>atSign</th><th>Status</th><th>Reason</th><th>Since (UTC)</th>"
        html += "<th>Last probe (UTC)</th></tr></thead><tbody>\n"
        for record in shown {
            guard let result = record.result else { continue }
            let cells = [
                link(result.status.atSign), badge(result.atSignStatus), escape(reason(result)),
                record.statusChangedAt.map(timestamp) ?? "", timestamp(result.finishedAt),
            ]
            html += "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    static func list(_ selection: LandingSelection, query: LandingQuery) -> String {
        let title = query.status.map { "atSigns with status \($0.rawValue)" } ?? "All atSigns"
        var html = "<h2>\(escape(title))</h2>\n" + pager(query, pages: selection.pages)
        html += """
            <table><thead><tr><th>atSign</th><th>Status</th><th>HTTP</th><th>Root</th><th>Server</th>
            <th>Reason</th><th>Since (UTC)</th><th>Last probe (UTC)</th><th>Duration</th></tr></thead><tbody>

            """
        for (atSign, record) in selection.rows { html += row(atSign, record: record) }
        return html + "</tbody></table>\n" + pager(query, pages: selection.pages)
    }

    /// "page 2 of 7" with links to the pages beside it; nothing when there is one page.
    static func pager(_ query: LandingQuery, pages: Int) -> String {
        guard pages > 1 else { return "" }
        var parts: [String] = []
        if query.page > 1 {
            parts.append(
                "<a href=\"\(escape(LandingQuery(status: query.status, page: query.page - 1).link))\">previous</a>")
        }
        parts.append("page \(query.page) of \(pages)")
        if query.page < pages {
            parts.append(
                "<a href=\"\(escape(LandingQuery(status: query.status, page: query.page + 1).link))\">next</a>")
        }
        return "<p>" + parts.joined(separator: " · ") + "</p>\n"
    }

    static func row(_ atSign: AtSign, record: AtSignRecord?) -> String {
        guard let result = record?.result else {
            return "<tr><td>\(link(atSign))</td><td colspan=\"8\">not probed yet</td></tr>\n"
        }
        let cells = [
            link(atSign), badge(result.atSignStatus), String(result.httpStatus),
            result.status.rootStatus.rawValue, result.status.serverStatus.rawValue, escape(reason(result)),
            record?.statusChangedAt.map(timestamp) ?? "", timestamp(result.finishedAt),
            "\(Int((result.durationSeconds * 1000).rounded())) ms",
        ]
        return "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
    }

    static func link(_ atSign: AtSign) -> String {
        "<a href=\"/api/v1/status/\(escape(percentEncoded(atSign.name)))\">\(escape(atSign.name))</a>"
    }

    /// A path segment: an atSign may hold `?`, `#`, `/` or `%`, which would end or bend the path.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "@-._~".unicodeScalars.contains(scalar))
            {
                out.unicodeScalars.append(scalar)
            } else {
                out += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return out
    }

    static func badge(_ status: AtSignStatus) -> String {
        "<span class=\"s\" style=\"background:\(colours[status] ?? "#555")\">\(status.rawValue)</span>"
    }

    static func reason(_ result: ProbeResult) -> String {
        result.failure.map { "\($0.reason.rawValue): \($0.message)" } ?? ""
    }

    static func timestamp(_ seconds: Double) -> String { WallTime.rfc3339(unixSeconds: seconds) }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
