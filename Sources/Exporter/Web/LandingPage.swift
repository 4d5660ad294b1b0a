import AtStatus
import Basics
import WebServer

/// `/`: plain HTML, no scripts, so it works in any browser and in `curl`.
extension Routes {
    func landing(_ request: HTTPRequest) -> HTTPResponse {
        let settings = service.settings
        let html = LandingPage.render(
            snapshot: service.store.snapshot, telemetryPath: settings.telemetryPath,
            shard: "\(settings.shard)/\(settings.totalShards)")
        return HTTPResponse(status: 200, contentType: "text/html; charset=utf-8", body: html).compressed(for: request)
    }
}

enum LandingPage {
    static let colours: [AtSignStatus: String] = [
        .activated: "#1a7f37", .teapot: "#9a6700", .notFound: "#0969da", .unavailable: "#cf222e", .error: "#8250df",
    ]

    static func render(snapshot: Snapshot, telemetryPath: String, shard: String) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>atsign_exporter</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}
            td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}.s{font-weight:bold;color:#fff;\
            padding:.1em .5em;border-radius:.3em}</style></head><body>
            <h1>atsign_exporter</h1>
            <p>Version \(escape(BuildInfo.version)) · root \(escape(snapshot.root.address)) · shard \(escape(shard))
             · \(snapshot.targets.count) atSigns · rounds completed \(snapshot.roundsCompleted)</p>
            <p><a href="\(escape(telemetryPath))">Metrics</a> · <a href="/-/healthy">Health</a> ·
            <a href="/-/ready">Readiness</a> · <a href="/probe?target=@alice">Probe example</a> ·
            <a href="/api/v1/status/@alice">Status API example</a></p>
            <table><thead><tr><th>atSign</th><th>Status</th><th>HTTP</th><th>Root</th><th>Server</th>
            <th>Reason</th><th>Last probe (UTC)</th><th>Duration</th></tr></thead><tbody>

            """
        for atSign in snapshot.targets {
            html += row(atSign, record: snapshot.records[atSign])
        }
        html += "</tbody></table></body></html>\n"
        return html
    }

    static func row(_ atSign: AtSign, record: AtSignRecord?) -> String {
        let link = "<a href=\"/api/v1/status/\(escape(atSign.name))\">\(escape(atSign.name))</a>"
        guard let result = record?.result else {
            return "<tr><td>\(link)</td><td colspan=\"7\">not probed yet</td></tr>\n"
        }
        let status = result.status.status()
        let badge = "<span class=\"s\" style=\"background:\(colours[status] ?? "#555")\">\(status.rawValue)</span>"
        let reason = result.failure.map { "\($0.reason.rawValue): \($0.message)" } ?? ""
        let cells = [
            link, badge, String(result.status.httpStatus()), result.status.rootStatus.rawValue,
            result.status.serverStatus.rawValue, escape(reason), timestamp(result.finishedAt),
            "\(Int((result.durationSeconds * 1000).rounded())) ms",
        ]
        return "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
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
