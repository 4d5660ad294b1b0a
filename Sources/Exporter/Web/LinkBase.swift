/// The landing page behind a reverse proxy: its links are written from the root ("/metrics"),
/// and `--web.external-url` (or `--web.route-prefix`) moves them under the path users reach
/// the exporter at. Rewriting the finished page, rather than threading a base through every
/// link, keeps each new link right without its author having to remember the prefix.
enum LinkBase {
    /// `html` with every root-relative `href="/…"` and `action="/…"` starting with `base`
    /// ("" leaves it unchanged; protocol-relative "//host" links are left alone).
    static func rebase(_ html: String, onto base: String) -> String {
        guard !base.isEmpty else { return html }
        var out = ""
        out.reserveCapacity(html.utf8.count + 256)
        var rest = Substring(html)
        while let valueStart = nextAttributeValue(in: rest) {
            out += rest[..<valueStart]
            rest = rest[valueStart...]
            if rest.hasPrefix("/") && !rest.hasPrefix("//") { out += base }
        }
        out += rest
        return out
    }

    /// The position just after the next `href="` or `action="`.
    private static func nextAttributeValue(in text: Substring) -> Substring.Index? {
        ["href=\"", "action=\""].compactMap { text.firstRange(of: $0)?.upperBound }.min()
    }
}
