/// Parses a Prometheus-style duration: one or more `<integer><unit>` parts, units
/// `ms`, `s`, `m`, `h` (e.g. `500ms`, `2s`, `1m30s`). Returns nil for anything else.
func parseDuration(_ text: String) -> Duration? {
    var total = Duration.zero
    var rest = Substring(text)
    guard !rest.isEmpty else { return nil }
    while !rest.isEmpty {
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let value = Int64(digits) else { return nil }
        rest = rest.dropFirst(digits.count)
        let unit = rest.prefix { $0.isASCII && $0.isLetter }
        rest = rest.dropFirst(unit.count)
        switch unit {
        case "ms": total += .milliseconds(value)
        case "s": total += .seconds(value)
        case "m": total += .seconds(value * 60)
        case "h": total += .seconds(value * 3600)
        default: return nil
        }
    }
    return total
}

/// The shortest text `parseDuration` reads back as `duration`: `2s`, `500ms`.
func formatDuration(_ duration: Duration) -> String {
    let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
}
