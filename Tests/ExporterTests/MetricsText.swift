/// Reads series out of a text exposition, so fault tests can say what each atSign shows.
struct MetricsText {
    let body: String

    /// The value of the series whose name and labels are exactly `series`, nil when absent.
    func value(_ series: String) -> Double? {
        for line in body.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    /// The status label that is 1 in `atsign_status` for `atSign`, nil when it has no series.
    func status(of atSign: String) -> String? {
        let prefix = "atsign_status{atsign=\"\(atSign)\",status=\""
        for line in body.split(separator: "\n") where line.hasPrefix(prefix) && line.hasSuffix("} 1") {
            return String(line.dropFirst(prefix.count).prefix { $0 != "\"" })
        }
        return nil
    }

    /// The `reason` label of `atsign_probe_failure_info` for `atSign`, nil when it did not fail.
    func failureReason(of atSign: String) -> String? {
        let prefix = "atsign_probe_failure_info{atsign=\"\(atSign)\","
        guard let line = body.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
            let range = line.range(of: "reason=\"")
        else { return nil }
        return String(line[range.upperBound...].prefix { $0 != "\"" })
    }

    /// The root's `atsign_root_up`, whatever its address label.
    var rootUp: Double? {
        for line in body.split(separator: "\n") where line.hasPrefix("atsign_root_up{") {
            return Double(line.split(separator: " ").last ?? "")
        }
        return nil
    }
}
