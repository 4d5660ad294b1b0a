import AtStatus
import Basics
import Exposition

/// `/probe?debug=true`: what the probe did, as blackbox_exporter's debug page shows it: a log of
/// the steps, then the metrics the scrape would have returned. The steps are read from the
/// result (each phase with its time, the answers, the failure), in the order a probe runs them.
enum ProbeLog {
    static func text(_ result: ProbeResult, timeout: Duration, families: [MetricFamily]) -> String {
        var lines = ["Logs for the probe:"]
        let start = result.finishedAt - result.durationSeconds
        let target = result.status.atSign.name
        lines.append(
            line(
                at: start, "info", "Beginning probe",
                [("target", target), ("timeout_seconds", "\(milliseconds(timeout.secondsDouble))")]))
        for phase in ProbePhase.allCases {
            guard let seconds = result.phaseSeconds[phase] else { continue }
            lines.append(
                line("info", "Phase finished", [("phase", phase.rawValue), ("duration_seconds", "\(seconds)")]))
        }
        lines.append(contentsOf: answers(result))
        if let failure = result.failure {
            lines.append(
                line(
                    "error", "Probe did not reach a definite answer",
                    [("reason", failure.reason.rawValue), ("phase", failure.phase.rawValue), ("err", failure.message)]
                ))
        }
        let status = result.atSignStatus
        lines.append(
            line(
                at: result.finishedAt, status == .activated ? "info" : "warn",
                status == .activated ? "Probe succeeded" : "Probe failed: the atSign is not activated",
                [
                    ("status", status.rawValue), ("http_status", "\(result.httpStatus)"),
                    ("duration_seconds", "\(result.durationSeconds)"),
                ]))
        let (bytes, _) = ExpositionFormat.prometheusText.render(families)
        return lines.joined(separator: "\n") + "\n\nMetrics that would have been returned:\n"
            + String(decoding: bytes, as: UTF8.self)
    }

    /// A budget left after waiting for a slot reads 1.9996 s; people want 2.0.
    private static func milliseconds(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }

    /// What the atRoot and the atServer said.
    private static func answers(_ result: ProbeResult) -> [String] {
        var root: [(String, String)] = [("root_status", result.status.rootStatus.rawValue)]
        if let location = result.status.serverLocation { root.append(("server_location", location)) }
        var server: [(String, String)] = [("server_status", result.status.serverStatus.rawValue)]
        if let version = result.serverVersion { server.append(("version", version)) }
        if let notAfter = result.serverCertificateNotAfter {
            server.append(("cert_not_after", WallTime.rfc3339(unixSeconds: notAfter)))
        }
        if let tls = result.serverTLSVersion { server.append(("tls_version", tls)) }
        guard result.status.rootStatus == .found else { return [line("info", "atRoot answered", root)] }
        return [line("info", "atRoot answered", root), line("info", "atServer checked", server)]
    }

    private static func line(at time: Double? = nil, _ level: String, _ message: String, _ fields: [(String, String)])
        -> String
    {
        var all: [(key: String, value: LogValue)] = []
        if let time { all.append(("ts", .string(WallTime.rfc3339(unixSeconds: time)))) }
        all += [("level", .string(level)), ("msg", .string(message))]
        all += fields.map { (key: $0.0, value: LogValue.string($0.1)) }
        return LogLine.logfmt(all)
    }
}
