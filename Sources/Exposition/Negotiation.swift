/// Content negotiation for `/metrics`.
///
/// Like client_golang's `expfmt.NegotiateIncludingOpenMetrics`, the media ranges are ranked by
/// q-value (highest first), then by specificity (`type/subtype` before `type/*` before `*/*`),
/// then by their order in the header, and the first one we can serve wins; nothing servable
/// means text 0.0.4. So at equal q the range listed first wins, and a specific
/// `application/openmetrics-text` beats `*/*`. Two deliberate differences from client_golang:
/// `*/*` and `text/*` count as asking for text 0.0.4 (Go skips them), so OpenMetrics is chosen
/// only when it is preferred to them too; and `q=0` ranges are refused, as RFC 9110 says.
/// OpenMetrics is served for `version=1.0.0` or no version; text for `version=0.0.4` or none.
extension ExpositionFormat {
    public static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept else { return .prometheusText }
        var best: (format: ExpositionFormat, quality: Double, specificity: Int)? = nil
        for range in accept.split(separator: ",") {
            guard let candidate = MediaRange(range), candidate.quality > 0,
                let format = candidate.servedFormat
            else { continue }
            if let current = best,
                current.quality > candidate.quality
                    || (current.quality == candidate.quality && current.specificity >= candidate.specificity)
            {
                continue
            }
            best = (format, candidate.quality, candidate.specificity)
        }
        return best?.format ?? .prometheusText
    }
}

/// One element of an `Accept` header, e.g. `application/openmetrics-text;version=1.0.0;q=0.9`.
private struct MediaRange {
    let type: Substring
    let subtype: Substring
    let version: Substring?
    let quality: Double

    /// Nil when the element is not `type/subtype[;param=value]…` or its q is not a number in 0…1.
    init?(_ element: Substring) {
        let parts = element.split(separator: ";", omittingEmptySubsequences: false)
        let media = parts[0].trimmed.lowercased().split(separator: "/", omittingEmptySubsequences: false)
        guard media.count == 2, !media[0].isEmpty, !media[1].isEmpty else { return nil }
        var version: Substring? = nil
        var quality = 1.0
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmed.lowercased()
            var value = pair[1].trimmed
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
            if key == "q" {
                guard let parsed = Double(value), parsed >= 0, parsed <= 1 else { return nil }
                quality = parsed
            } else if key == "version" {
                version = value
            }
        }
        self.type = media[0]
        self.subtype = media[1]
        self.version = version
        self.quality = quality
    }

    /// 2 for `type/subtype`, 1 for `type/*`, 0 for `*/*`.
    var specificity: Int { type == "*" ? 0 : (subtype == "*" ? 1 : 2) }

    var servedFormat: ExpositionFormat? {
        switch (type, subtype) {
        case ("application", "openmetrics-text"):
            return version == nil || version == "1.0.0" ? .openMetrics : nil
        case ("text", "plain"):
            return version == nil || version == "0.0.4" ? .prometheusText : nil
        case ("text", "*"), ("*", "*"):
            return .prometheusText
        default:
            return nil
        }
    }
}

extension Substring {
    /// Without the spaces and tabs HTTP allows around list elements and parameters.
    fileprivate var trimmed: Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
