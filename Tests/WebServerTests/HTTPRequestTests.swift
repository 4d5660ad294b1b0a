import Testing

@testable import WebServer

@Suite struct HTTPRequestTests {
    @Test func percentDecoding() {
        #expect(HTTPRequest.percentDecode("%40alice%2Fx") == "@alice/x")
        #expect(HTTPRequest.percentDecode("caf%C3%A9") == "café")
        #expect(HTTPRequest.percentDecode("%4") == nil)
        #expect(HTTPRequest.percentDecode("%g0") == nil)
        #expect(HTTPRequest.percentDecode("%FF") == nil)
        #expect(HTTPRequest.percentDecode("a+b") == "a+b")
    }

    @Test func queryParameters() throws {
        let request = try HTTPRequest(method: "GET", target: "/probe?target=%40alice&x=a+b&flag&&y=1=2&bad=%zz")
        let pairs = request.queryParameters.map { "\($0.name)=\($0.value)" }
        #expect(pairs == ["target=@alice", "x=a b", "flag=", "y=1=2"])
        #expect(request.queryValue("target") == "@alice")
        #expect(request.queryValue("missing") == nil)
    }

    @Test func absoluteFormTargets() throws {
        let request = try HTTPRequest(method: "GET", target: "http://host:9713/metrics?a=1")
        #expect(request.path == "/metrics")
        #expect(request.query == "a=1")
        #expect(try HTTPRequest(method: "GET", target: "http://host").path == "/")
        #expect(try HTTPRequest(method: "GET", target: "https://host?q").path == "/")
    }

    @Test func asteriskFormReadsAsAPathNoRouteHas() throws {
        #expect(try HTTPRequest(method: "OPTIONS", target: "*").path == "*")
    }

    @Test func noQueryIsNil() throws {
        #expect(try HTTPRequest(method: "GET", target: "/").query == nil)
        #expect(try HTTPRequest(method: "GET", target: "/?").query == "")
    }
}
