import Foundation
import Testing

@testable import WebServer

/// Every refusal names the file, the line and the field at fault.
@Suite struct WebConfigErrorTests {
    static let hash = WebConfigExamples.hash
    static let tls = "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"

    @Test(arguments: [
        (
            "tls_server_config:\n  cert_file: a\n   key_file: b\n",
            "web config w.yml:3: mapping values are not allowed in this context"
        ),
        (
            "tls_server_config:\n    cert_file: a\n  key_file: b\n",
            "web config w.yml:3: did not find expected key (while parsing a block mapping)"
        ),
        ("a:\n\t b: c\n", "web config w.yml:2: a tab where YAML allows only spaces (indent with spaces)"),
        ("basic_auth_users\n", "web config w.yml:1: expected a mapping of keys, found a single value"),
        ("a: 1\na: 2\n", "web config w.yml:2: duplicate key \"a\" (first on line 1)"),
        ("a: \"open\n", "web config w.yml:2: found unexpected end of stream (while scanning a quoted scalar)"),
        (
            "basic_auth_users: |\n  text\n",
            "web config w.yml:1: basic_auth_users: expected a mapping of keys, found a single value"
        ),
        ("a: &x 1\n", "web config w.yml:1: anchors, aliases and tags (&, *, !) are not supported"),
        (
            "basic_auth_users:\n  - b: c\n",
            "web config w.yml:1: basic_auth_users: expected a mapping of keys, found a list"
        ),
        ("a: 1\n---\nb: 2\n", "web config w.yml:2: \"---\": only one YAML document is supported"),
        ("{\"a\": 1,\n}", "web config w.yml:2: a comma before a closing bracket is not JSON"),
        (
            "{\"a\": tru}",
            "web config w.yml:1: \"tru\" is not a JSON value (strings need double quotes; numbers are decimal)"
        ),
        ("{\"a\": 1, \"a\": 2}", "web config w.yml:1: duplicate key \"a\" (first on line 1)"),
    ])
    func syntaxErrors(text: String, message: String) {
        #expect(failure(text) == message)
    }

    @Test(arguments: [
        ("\n\nweb_config:\n  x: 1\n", "web config w.yml:3: unknown key \"web_config\""),
        (
            tls + "  cert: PEM\n",
            "web config w.yml:4: tls_server_config.cert: inline PEM is not supported; put it in a file and use cert_file"
        ),
        (tls + "  certfile: c\n", "web config w.yml:4: tls_server_config: unknown key \"certfile\""),
        (
            "tls_server_config:\n  cert_file: c\n",
            "web config w.yml:1: tls_server_config: missing key_file (cert_file is set)"
        ),
        (
            "tls_server_config:\n  key_file: k\n",
            "web config w.yml:1: tls_server_config: missing cert_file (key_file is set)"
        ),
        (
            tls + "  min_version: TLS14\n",
            "web config w.yml:4: tls_server_config.min_version: unknown version \"TLS14\"; use TLS12 or TLS13"
        ),
        (
            tls + "  min_version: [TLS13]\n",
            "web config w.yml:4: tls_server_config.min_version: expected a single value, found a list"
        ),
        (
            tls + "  client_auth_type: RequireAndVerifyClientCert\n",
            "web config w.yml:4: tls_server_config.client_auth_type: RequireAndVerifyClientCert needs client_ca_file"
        ),
        (
            tls + "  client_ca_file: ca.pem\n",
            "web config w.yml:1: tls_server_config.client_auth_type: client_ca_file is set but client_auth_type is NoClientCert; use RequireAndVerifyClientCert"
        ),
        (
            tls + "  client_auth_type: VerifyClientCertIfGiven\n",
            "web config w.yml:4: tls_server_config.client_auth_type: VerifyClientCertIfGiven is not supported: it accepts unverified or missing client certificates; use RequireAndVerifyClientCert"
        ),
        (
            tls + "  client_auth_type: Always\n",
            "web config w.yml:4: tls_server_config.client_auth_type: unknown value \"Always\"; use NoClientCert or RequireAndVerifyClientCert"
        ),
        (
            tls + "  client_allowed_sans: [a]\n",
            "web config w.yml:4: tls_server_config.client_allowed_sans: is not supported; it cannot be ignored without admitting more clients"
        ),
        ("http_server_config:\n  http3: true\n", "web config w.yml:2: http_server_config: unknown key \"http3\""),
        (
            "tls_server_config: yes\n",
            "web config w.yml:1: tls_server_config: expected a mapping of keys, found a single value"
        ),
        (
            "basic_auth_users:\n  alice: secret\n",
            "web config w.yml:2: basic_auth_users.alice: not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04 to 31, 60 characters)"
        ),
        (
            "{\"basic_auth_users\": {\n\"bob\": \"$2x$" + hash.dropFirst(4) + "\"}}",
            "web config w.yml:2: basic_auth_users.bob: not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04 to 31, 60 characters)"
        ),
    ])
    func schemaErrors(text: String, message: String) {
        #expect(failure(text) == message)
    }

    @Test func unreadableFiles() throws {
        #expect(
            throws: WebConfigError(
                file: "/nonexistent/web.yml", message: "cannot read the file: No such file or directory")
        ) {
            try WebConfig.load(path: "/nonexistent/web.yml")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("webconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: WebConfigError(file: directory.path, message: "cannot read the file: Is a directory")) {
            try WebConfig.load(path: directory.path)
        }
        let binary = directory.appendingPathComponent("web.yml")
        try Data([0x61, 0x3A, 0x20, 0xFF]).write(to: binary)
        #expect(throws: WebConfigError(file: binary.path, message: "cannot read the file: not valid UTF-8 text")) {
            try WebConfig.load(path: binary.path)
        }
        let missingCertificate = directory.appendingPathComponent("tls.yml")
        try Self.tls.write(to: missingCertificate, atomically: true, encoding: .utf8)
        let config = try WebConfig.load(path: missingCertificate.path)
        #expect(
            throws: WebConfigError(
                file: missingCertificate.path, line: 2, field: "tls_server_config.cert_file",
                message: "cannot read \(directory.path)/c.pem: No such file or directory")
        ) {
            _ = try config.makeTLSContext()
        }
    }

    private func failure(_ text: String) -> String? {
        do {
            _ = try WebConfig.parse(text, path: "w.yml")
            return nil
        } catch {
            return error.description
        }
    }
}
