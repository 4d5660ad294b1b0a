import Foundation
import NetIO
import TestSupport
import Testing

@testable import WebServer

/// A web config directory as an operator would lay it out: a CA, a server and a client
/// certificate (`TestCertificates`), and `web.yml` naming them by relative paths.
struct WebConfigDirectory {
    let directory: URL
    var caPEM: String { (try? String(contentsOf: url("ca.pem"), encoding: .utf8)) ?? "" }

    static func make() async throws -> WebConfigDirectory {
        let files = try await TestCertificates.make(leaves: [
            .init("server", subjectAltName: "IP:127.0.0.1", usage: "serverAuth"),
            .init("client", subjectAltName: nil, usage: "clientAuth"),
        ])
        return WebConfigDirectory(directory: URL(fileURLWithPath: files.directory))
    }

    func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// Writes `web.yml` and returns its path.
    func writeConfig(_ text: String) throws -> String {
        try text.write(to: url("web.yml"), atomically: true, encoding: .utf8)
        return url("web.yml").path
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

@Suite(.enabled(if: Htpasswd.isAvailable, Comment(rawValue: Htpasswd.missing)), .timeLimit(.minutes(1)))
struct AuthHTTPSTests {
    @Test func httpsWithBasicAuthFromAWebConfigFile() async throws {
        let files = try await WebConfigDirectory.make()
        defer { files.remove() }
        let hash = try await Htpasswd.hash(user: "prometheus", password: "s3cret")
        let path = try files.writeConfig(
            """
            tls_server_config:
              cert_file: server.pem
              key_file: server.key
              min_version: TLS13
            basic_auth_users:
              prometheus: \(hash)
            """)
        let server = try startServer(web: try WebConfig.load(path: path))
        let port = server.ports[0]
        let missing = try await httpsGet(port: port, ca: files.caPEM, authorization: nil)
        #expect(missing.hasPrefix("HTTP/1.1 401 Unauthorized\r\n"))
        #expect(missing.contains("\r\nWWW-Authenticate: Basic realm=\"atsign_exporter\", charset=\"UTF-8\"\r\n"))
        let wrong = try await httpsGet(port: port, ca: files.caPEM, authorization: basic("prometheus:wrong"))
        #expect(wrong.hasPrefix("HTTP/1.1 401 Unauthorized\r\n"))
        let unknown = try await httpsGet(port: port, ca: files.caPEM, authorization: basic("grafana:s3cret"))
        #expect(unknown.hasPrefix("HTTP/1.1 401 Unauthorized\r\n"))
        let right = try await httpsGet(port: port, ca: files.caPEM, authorization: basic("prometheus:s3cret"))
        #expect(right.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(right.hasSuffix("\r\n\r\nhello\n"))
        await server.shutdown()
        try await expectPromtoolAccepts(path)
    }

    @Test func mutualTLSRefusesClientsWithoutACertificate() async throws {
        let files = try await WebConfigDirectory.make()
        defer { files.remove() }
        let path = try files.writeConfig(
            """
            tls_server_config:
              cert_file: server.pem
              key_file: server.key
              client_auth_type: RequireAndVerifyClientCert
              client_ca_file: ca.pem
            """)
        let server = try startServer(web: try WebConfig.load(path: path))
        let port = server.ports[0]
        let refused = try? await httpsGet(port: port, ca: files.caPEM, authorization: nil)
        #expect(refused?.hasPrefix("HTTP/1.1") != true, "a client without a certificate got \(refused ?? "")")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") {
            let curl = try await ProcessRunner.run(
                "/usr/bin/curl",
                [
                    "-sS", "--max-time", "10", "--cacert", files.url("ca.pem").path, "--cert",
                    files.url("client.pem").path, "--key", files.url("client.key").path,
                    "https://127.0.0.1:\(port)/",
                ])
            #expect(curl.status == 0 && curl.combined == "hello\n", "curl with a client certificate: \(curl.combined)")
        }
        await server.shutdown()
        try await expectPromtoolAccepts(path)
    }

    @Test func applyReplacesTLSAndAuthentication() throws {
        var configuration = HTTPServerConfiguration()
        configuration.authenticate = { _, _ in true }
        try WebConfig.parse("", path: "w").apply(to: &configuration)
        #expect(configuration.tls == nil)
        #expect(configuration.authenticate == nil)
    }

    private func startServer(web: WebConfig) throws -> HTTPServer {
        var applied = HTTPServerConfiguration()
        try web.apply(to: &applied)
        return try WebServerTests.startServer {
            $0.tls = applied.tls
            $0.authenticate = applied.authenticate
        }
    }

    /// What this server accepts, Prometheus's own checker accepts too (when installed).
    private func expectPromtoolAccepts(_ path: String) async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool") else { return }
        let check = try await ProcessRunner.run("/usr/bin/promtool", ["check", "web-config", path])
        #expect(check.status == 0, "promtool check web-config: \(check.combined)")
    }

    private func basic(_ credentials: String) -> String { "Basic " + Data(credentials.utf8).base64EncodedString() }

    /// One GET / over TLS with `Connection: close`; the whole answer as text.
    private func httpsGet(port: Int, ca: String, authorization: String?) async throws -> String {
        let tcp = try await TCPConnection.connect(host: "127.0.0.1", port: port, deadline: .after(Patience.deadline))
        let context = try TLSContext.client(caPEM: ca, trustSystemStore: false)
        let tls = try await TLSConnection.connect(
            over: tcp, context: context, serverName: "127.0.0.1", deadline: .after(Patience.deadline))
        let header = authorization.map { "Authorization: \($0)\r\n" } ?? ""
        try await tls.write(
            Array("GET / HTTP/1.1\r\nHost: x\r\n\(header)Connection: close\r\n\r\n".utf8),
            deadline: .after(Patience.deadline)
        )
        var reply: [UInt8] = []
        while case let bytes = try await tls.read(maxBytes: 4096, deadline: .after(Patience.deadline)), !bytes.isEmpty {
            reply += bytes
        }
        await tls.close()
        return String(decoding: reply, as: UTF8.self)
    }
}
