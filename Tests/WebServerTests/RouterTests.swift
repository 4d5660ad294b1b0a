import Testing

@testable import WebServer

@Suite struct RouterTests {
    let router: Router = {
        var router = Router()
        router.add("/metrics") { _ in .text("metrics") }
        router.add("/-/reload", methods: ["POST"]) { _ in .text("reloaded") }
        router.addPrefix("/api/") { request in .text("api " + request.routeRemainder) }
        router.addPrefix("/api/v1/status/") { request in .text("status " + request.routeRemainder) }
        return router
    }()

    func answer(_ method: String, _ target: String) async throws -> HTTPResponse {
        try await router.respond(to: HTTPRequest(method: method, target: target))
    }

    @Test func exactRoutes() async throws {
        #expect(text(try await answer("GET", "/metrics?x=1").body) == "metrics")
        #expect(try await answer("GET", "/metrics/").status == 404)
    }

    @Test func longestPrefixWinsAndPassesTheRemainder() async throws {
        #expect(text(try await answer("GET", "/api/v1/status/%40alice").body) == "status @alice")
        #expect(text(try await answer("GET", "/api/other").body) == "api other")
    }

    @Test func headIsAllowedWhereGetIs() async throws {
        #expect(try await answer("HEAD", "/metrics").status == 200)
    }

    @Test func otherMethodsGet405WithAllow() async throws {
        let response = try await answer("POST", "/metrics")
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, HEAD")
        let reload = try await answer("GET", "/-/reload")
        #expect(reload.status == 405)
        #expect(reload.headers["Allow"] == "POST")
        #expect(text(try await answer("POST", "/-/reload").body) == "reloaded")
    }

    @Test func unknownPathsGet404() async throws {
        let response = try await answer("GET", "/nope")
        #expect(response.status == 404)
        #expect(text(response.body) == "404 page not found: /nope\n")
    }
}
