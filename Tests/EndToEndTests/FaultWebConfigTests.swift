import Foundation
import NetIO
import TestSupport
import Testing

/// The built exporter behind `--web.config.file` with TLS and basic auth, set up the way the
/// docs tell an operator to: certificates from the `openssl` CLI, the hash from
/// `htpasswd -nbBC 10`.
@Suite(
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/bin/htpasswd")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"),
        "needs /usr/bin/htpasswd (apache2-utils) and /usr/bin/openssl"),
    .timeLimit(.minutes(2))
)
struct FaultWebConfigTests {
    static let script = """
        set -e
        hash=$(htpasswd -nbBC 10 prometheus 's3cret:with colon' | cut -d: -f2-)
        printf 'tls_server_config:\\n  cert_file: server.pem\\n  key_file: server.key\\n' > web.yml
        printf 'basic_auth_users:\\n  prometheus: %s\\n' "$hash" >> web.yml
        """

    @Test func httpsWithBasicAuthRefusesAnonymousAndAdmitsTheUser() async throws {
        let files = try await TestCertificates.make(leaves: [.init("server", usage: "serverAuth")])
        defer { files.remove() }
        let directory = URL(fileURLWithPath: files.directory)
        let made = try await ProcessRunner.run("/bin/sh", ["-c", "cd '\(directory.path)'\n" + Self.script])
        try #require(made.status == 0, "htpasswd failed: \(made.combined)")
        let ca = try String(contentsOf: directory.appendingPathComponent("ca.pem"), encoding: .utf8)
        try await withStarted(try await BuiltBinaries.Simulator.start(), stop: { await $0.stop() }) { simulator in
            try await withStarted(
                try ExporterProcess([
                    "--root.address", simulator.root, "--tls.ca-file", simulator.caFile, "--atsign", "@activated",
                    "--web.config.file", directory.appendingPathComponent("web.yml").path, "--probe.timeout", "3s",
                ]), stop: { await $0.stop() }
            ) { exporter in
                try await exporter.waitListening()

                let anonymous = try await httpsGet(exporter.port, "/metrics", ca: ca, authorization: nil)
                #expect(anonymous.status == 401)
                #expect(anonymous.headers["www-authenticate"] == #"Basic realm="atsign_exporter", charset="UTF-8""#)
                #expect(!anonymous.bodyText.contains("atsign_"))
                let wrong = try await httpsGet(exporter.port, "/metrics", ca: ca, authorization: "prometheus:s3cret")
                #expect(wrong.status == 401)
                let right = try await httpsGet(
                    exporter.port, "/metrics", ca: ca, authorization: "prometheus:s3cret:with colon")
                #expect(right.status == 200 && right.bodyText.contains("atsign_exporter_build_info"))
                let probe = try await httpsGet(exporter.port, "/probe?target=@a:1", ca: ca, authorization: nil)
                #expect(probe.status == 401, "authentication comes before target validation")

                #expect(await plainHTTPIsRefused(port: exporter.port), "plain HTTP got an answer from the TLS port")
                #expect(exporter.process.isRunning)
            }
        }
    }

    /// From `promptClient`'s thread: the handshake must end within the exporter's 10 s head timeout.
    private func httpsGet(_ port: Int, _ target: String, ca: String, authorization: String?) async throws
        -> WireResponse
    {
        try await withTaskExecutorPreference(promptClient) {
            try await httpsGetNow(port, target, ca: ca, authorization: authorization)
        }
    }

    private func httpsGetNow(_ port: Int, _ target: String, ca: String, authorization: String?) async throws
        -> WireResponse
    {
        let deadline = Deadline.after(Patience.deadline)
        let tcp = try await TCPConnection.connect(host: "127.0.0.1", port: port, deadline: deadline)
        let context = try TLSContext.client(caPEM: ca, trustSystemStore: false)
        let tls = try await TLSConnection.connect(
            over: tcp, context: context, serverName: "127.0.0.1", deadline: deadline)
        let client = WireClient(stream: tls)
        let headers = authorization.map { [("Authorization", "Basic " + Data($0.utf8).base64EncodedString())] } ?? []
        let response = try await client.get(target, headers: headers)
        await client.close()
        return response
    }

    /// A plaintext request to the TLS port must not get an HTTP answer.
    private func plainHTTPIsRefused(port: Int) async -> Bool {
        do {
            let client = try await WireClient(port: port)
            let response = try await client.get("/metrics")
            await client.close()
            return response.status != 200 && !response.bodyText.contains("atsign_")
        } catch {
            return true
        }
    }
}
