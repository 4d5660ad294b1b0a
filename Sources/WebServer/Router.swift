/// What answers a request. Handlers never throw: a failure is an answer (500, 503, …).
public typealias HTTPHandler = @Sendable (HTTPRequest) async -> HTTPResponse

/// Maps paths to handlers: exact paths first, then the longest matching prefix. Built once
/// before the server starts, then shared read-only by every connection.
public struct Router: Sendable {
    struct Route: Sendable {
        var methods: [String]
        var handler: HTTPHandler
    }

    var exact: [String: Route] = [:]
    /// Longest prefix first, so `/api/v1/status/` wins over `/api/`.
    var prefixes: [(prefix: String, route: Route)] = []

    public init() {}

    /// Routes `path` exactly. Allowing GET allows HEAD too: the server drops the body.
    public mutating func add(_ path: String, methods: [String] = ["GET"], _ handler: @escaping HTTPHandler) {
        exact[path] = Route(methods: Router.withHead(methods), handler: handler)
    }

    /// Routes every path that starts with `prefix`; the handler finds the rest of the path in
    /// `request.routeRemainder`.
    public mutating func addPrefix(_ prefix: String, methods: [String] = ["GET"], _ handler: @escaping HTTPHandler) {
        prefixes.removeAll { $0.prefix == prefix }
        prefixes.append((prefix, Route(methods: Router.withHead(methods), handler: handler)))
        prefixes.sort { $0.prefix.utf8.count > $1.prefix.utf8.count }
    }

    /// The answer to `request`: the handler's, or 404 for an unknown path, or 405 with `Allow`
    /// for a method the route does not take.
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        var request = request
        let route: Route
        if let match = exact[request.path] {
            route = match
        } else if let match = prefixes.first(where: { request.path.hasPrefix($0.prefix) }) {
            route = match.route
            request.routeRemainder = String(request.path.dropFirst(match.prefix.count))
        } else {
            return .notFound(request.path)
        }
        guard route.methods.contains(request.method) else {
            return .methodNotAllowed(request.method, allowed: route.methods)
        }
        return await route.handler(request)
    }

    private static func withHead(_ methods: [String]) -> [String] {
        var result: [String] = []
        for method in methods where !result.contains(method) {
            result.append(method)
            if method == "GET" && !methods.contains("HEAD") { result.append("HEAD") }
        }
        return result
    }
}
