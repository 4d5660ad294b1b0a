extension Router {
    /// This router served under `prefix` (`--web.route-prefix`, e.g. "/atsign"; "" leaves it
    /// as is): every route moves below the prefix, "/" moves to both "/atsign" and "/atsign/",
    /// and a request for "/" is redirected there, as Prometheus does, so a browser pointed at
    /// the bare host still lands on the page.
    public func mounted(at prefix: String) -> Router {
        guard !prefix.isEmpty, prefix != "/" else { return self }
        var mounted = Router()
        for (path, route) in exact {
            if path == "/" {
                mounted.exact[prefix] = route
                mounted.exact[prefix + "/"] = route
            } else {
                mounted.exact[prefix + path] = route
            }
        }
        mounted.prefixes = prefixes.map { (prefix + $0.prefix, $0.route) }
        let target = prefix + "/"
        mounted.add("/") { _ in
            var response = HTTPResponse.text("Moved to \(target)\n", status: 302)
            response.headers.set("Location", target)
            return response
        }
        return mounted
    }
}
