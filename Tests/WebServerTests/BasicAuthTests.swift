import Testing

@testable import WebServer

@Suite struct BasicAuthTests {
    @Test func parsesCredentials() throws {
        // "alice:open sesame:x" and "bob:" in base64.
        #expect(
            try BasicCredentials.parse("Basic YWxpY2U6b3BlbiBzZXNhbWU6eA==")
                == BasicCredentials(user: "alice", password: "open sesame:x"))
        #expect(try BasicCredentials.parse("basic   Ym9iOg==") == BasicCredentials(user: "bob", password: ""))
    }

    @Test(arguments: [
        ("Bearer abc", "Authorization scheme must be Basic"),
        ("Basic", "Authorization scheme must be Basic"),
        ("Basic YWxpY2U", "Authorization Basic credentials are not valid base64"),
        ("Basic YW=xpY2U=", "Authorization Basic credentials are not valid base64"),
        ("Basic YWxp*2U=", "Authorization Basic credentials are not valid base64"),
        ("Basic YWxpY2U=", "Authorization Basic credentials lack the \":\" after the user"),
        ("Basic /zo=", "Authorization Basic credentials are not UTF-8"),
    ])
    func refusesMalformedHeaders(header: String, reason: String) {
        #expect(throws: HTTPParseError(status: 401, reason: reason)) { try BasicCredentials.parse(header) }
    }

    @Test func base64() {
        #expect(Base64.decode("") == [])
        #expect(Base64.decode("Zg==") == Array("f".utf8))
        #expect(Base64.decode("Zm8=") == Array("fo".utf8))
        #expect(Base64.decode("Zm9v") == Array("foo".utf8))
        #expect(Base64.decode("Zm9vYmFy") == Array("foobar".utf8))
        #expect(Base64.decode("Zg=a") == nil)
        #expect(Base64.decode("Z===") == nil)
    }

    @Test func authorizationFailures() async throws {
        let check: Authenticator = { user, password in user == "alice" && password == "secret" }
        func failure(_ header: String?) async throws -> HTTPResponse? {
            let headers = header.map { HTTPHeaders([("Authorization", $0)]) } ?? HTTPHeaders()
            return try await HTTPRequest(method: "GET", target: "/", headers: headers).authorizationFailure(check)
        }
        #expect(try await failure("Basic YWxpY2U6c2VjcmV0") == nil)
        let missing = try #require(try await failure(nil))
        #expect(missing.status == 401)
        #expect(missing.headers["WWW-Authenticate"] == "Basic realm=\"atsign_exporter\", charset=\"UTF-8\"")
        #expect(text(missing.body) == "401 Unauthorized: authentication required\n")
        #expect(
            text(try #require(try await failure("Basic YWxpY2U6d3Jvbmc=")).body)
                == "401 Unauthorized: wrong user or password\n")
        #expect(try await failure("Bearer x")?.status == 401)
    }
}
