import AtStatus

/// One probe result as the `check --output json` line and the `/api/v1/status` body.
enum StatusReport {
    static func json(_ result: ProbeResult, statusChangedAt: Double? = nil) -> String {
        var writer = JSONWriter()
        let status = result.status
        writer.field("atSign", status.atSign.name)
        writer.field("rootStatus", status.rootStatus.rawValue)
        writer.field("serverStatus", status.serverStatus.rawValue)
        writer.field("status", result.atSignStatus.rawValue)
        writer.field("httpStatus", result.httpStatus)
        writer.field("serverLocation", status.serverLocation)
        writer.field("durationSeconds", rounded(result.durationSeconds))
        writer.field("success", result.succeeded)
        if let failure = result.failure {
            writer.field("failureReason", failure.reason.rawValue)
            writer.field("failurePhase", failure.phase.rawValue)
            writer.field("message", failure.message)
        }
        if !result.phaseSeconds.isEmpty {
            var phases = JSONWriter()
            for phase in ProbePhase.allCases { phases.field(phase.rawValue, result.phaseSeconds[phase].map(rounded)) }
            writer.field("phaseSeconds", object: phases)
        }
        writer.field("serverVersion", result.serverVersion)
        writer.field("serverUptimeSeconds", result.serverUptimeSeconds)
        writer.field("serverCertificateNotAfter", result.serverCertificateNotAfter)
        writer.field("serverTLSVersion", result.serverTLSVersion)
        writer.field("finishedAt", rounded(result.finishedAt))
        writer.field("statusChangedAt", statusChangedAt.map(rounded))
        return writer.finished
    }

    /// Milliseconds are plenty for people; it also keeps the lines short.
    private static func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

    static let tableHeader = ["ATSIGN", "STATUS", "HTTP", "ROOT", "SERVER", "LOCATION", "DURATION", "REASON"]

    static func tableRow(_ result: ProbeResult) -> [String] {
        let status = result.status
        let reason = result.failure.map { "\($0.reason.rawValue): \($0.message)" } ?? ""
        return [
            status.atSign.name, result.atSignStatus.rawValue, String(result.httpStatus), status.rootStatus.rawValue,
            status.serverStatus.rawValue, status.serverLocation ?? "-",
            "\(Int((result.durationSeconds * 1000).rounded()))ms", reason,
        ].map(terminalSafe)
    }

    /// A cell as a terminal should show it. Server error texts and root answers reach the table
    /// as they were sent: control characters (C0, DEL, C1) could move the cursor or recolour the
    /// screen, and invisible format characters (bidi overrides) could reorder the line. Both are
    /// escaped; the joiners that hold emoji sequences together are kept.
    static func terminalSafe(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch (scalar, scalar.properties.generalCategory) {
            case ("\n", _): out += "\\n"
            case ("\r", _): out += "\\r"
            case ("\t", _): out += "\\t"
            case ("\u{200C}", _), ("\u{200D}", _): out.unicodeScalars.append(scalar)
            case (_, .control), (_, .format): out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Columns padded to the widest cell (counted in characters), the last left ragged.
    static func table(_ rows: [[String]]) -> String {
        guard let width = rows.first?.count else { return "" }
        let widths = (0..<width).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == width - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
