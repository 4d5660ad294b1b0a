/// `--web.external-url` and `--web.route-prefix` as Prometheus reads them: the external URL is
/// where users reach the exporter, the route prefix where this process serves; the prefix
/// defaults to the external URL's path, since most reverse proxies pass the path through.
enum WebPaths {
    /// An absolute http(s) URL with a host, without query or fragment; stored without a
    /// trailing slash.
    static func externalURL(_ text: String) throws(ValueProblemError) -> String {
        let fail = { (why: String) in ValueProblemError(what: "invalid URL \"\(text.debugEscaped)\"", why: why) }
        guard let scheme = ["http://", "https://"].first(where: { text.lowercased().hasPrefix($0) }) else {
            throw fail("it must start with http:// or https://")
        }
        let rest = text.dropFirst(scheme.count)
        guard let host = rest.split(separator: "/", omittingEmptySubsequences: false).first, !host.isEmpty else {
            throw fail("it has no host")
        }
        guard !text.contains("?"), !text.contains("#"), !text.contains(where: \.isWhitespace) else {
            throw fail("it must not contain a query, a fragment or spaces")
        }
        return trimmingSlashes(text)
    }

    /// A path starting with "/", without query, fragment or spaces; "/" or "" mean the root.
    /// Stored without a trailing slash: "/" becomes "".
    static func routePrefix(_ text: String) throws(ValueProblemError) -> String {
        guard text.hasPrefix("/") || text.isEmpty else {
            throw ValueProblemError(what: "invalid path \"\(text.debugEscaped)\"", why: "it must start with /")
        }
        guard !text.contains("?"), !text.contains("#"), !text.contains(where: \.isWhitespace) else {
            throw ValueProblemError(
                what: "invalid path \"\(text.debugEscaped)\"", why: "it must not contain a query, a fragment or spaces")
        }
        return trimmingSlashes(text)
    }

    /// The path part of an external URL, without a trailing slash ("" for the root).
    static func path(ofURL url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return "" }
        let afterScheme = url[schemeEnd.upperBound...]
        guard let slash = afterScheme.firstIndex(of: "/") else { return "" }
        return trimmingSlashes(String(afterScheme[slash...]))
    }

    private static func trimmingSlashes(_ text: String) -> String {
        var result = Substring(text)
        while result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }
}

extension Settings {
    /// Where routes are served: "" for the root, else a path such as "/atsign".
    public var effectiveRoutePrefix: String {
        routePrefix ?? externalURL.map(WebPaths.path(ofURL:)) ?? ""
    }

    /// What the landing page's absolute links start with: the external URL's path, or the
    /// route prefix when no external URL is given.
    public var linkBase: String {
        externalURL.map(WebPaths.path(ofURL:)) ?? effectiveRoutePrefix
    }
}
