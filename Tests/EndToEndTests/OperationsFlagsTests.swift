import Foundation
import TestSupport
import Testing

/// The operations conventions as an operator meets them, through the built binary:
/// `--config.check` for pipelines and `ExecStartPre`, and serving behind a reverse proxy.
@Suite(.timeLimit(.minutes(2))) struct OperationsFlagsTests {
    static func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ops-flags-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func configCheckAcceptsAValidConfigurationWithoutServing() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let atSigns = directory.appendingPathComponent("atsigns.txt")
        try "@alice\n@bob # a comment\n".write(to: atSigns, atomically: true, encoding: .utf8)
        let run = try await BuiltBinaries.run(
            "atsign_exporter",
            ["--config.check", "--atsigns.file", atSigns.path, "--shard", "1", "--total-shards", "2"])
        #expect(run.status == 0, "\(run.combined)")
        #expect(run.stdout.contains("configuration is valid: 2 atSigns"), "\(run.stdout)")
    }

    @Test func configCheckExitsTwoNamingTheFault() async throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let atSigns = directory.appendingPathComponent("atsigns.txt")
        try "@alice\n@bad name\n".write(to: atSigns, atomically: true, encoding: .utf8)
        let badAtSign = try await BuiltBinaries.run(
            "atsign_exporter", ["--config.check", "--atsigns.file", atSigns.path])
        #expect(badAtSign.status == 2 && badAtSign.stderr.contains("line 2"), "\(badAtSign.combined)")

        let web = directory.appendingPathComponent("web.yml")
        try "tls_server_config:\n  cert_file: missing.crt\n  key_file: missing.key\n".write(
            to: web, atomically: true, encoding: .utf8)
        let badWeb = try await BuiltBinaries.run(
            "atsign_exporter", ["--config.check", "--atsign", "@alice", "--web.config.file", web.path])
        #expect(badWeb.status == 2, "\(badWeb.combined)")
        #expect(badWeb.stderr.contains("cert_file") && badWeb.stderr.contains("missing.crt"), "\(badWeb.stderr)")

        let badCA = try await BuiltBinaries.run(
            "atsign_exporter", ["--config.check", "--atsign", "@alice", "--tls.ca-file", web.path])
        #expect(badCA.status == 2 && badCA.stderr.contains("--tls.ca-file"), "\(badCA.combined)")
    }

    @Test func externalURLMovesRoutesAndLinksUnderItsPath() async throws {
        let exporter = try ExporterProcess(["--demo", "--web.external-url", "https://proxy.example/atsign/"])
        try await withStarted(exporter, stop: { await $0.stop() }) { exporter in
            try await exporter.waitListening()
            let metrics = try await exporter.get("/atsign/metrics")
            #expect(metrics.status == 200 && metrics.bodyText.contains("atsign_exporter_build_info"))
            #expect(try await exporter.get("/atsign/-/healthy").status == 200)
            #expect(try await exporter.get("/metrics").status == 404, "the unprefixed path must not be served")
            let root = try await exporter.get("/")
            #expect(root.status == 302 && root.headers["location"] == "/atsign/", "\(root.headers)")
            let landing = try await exporter.get("/atsign/")
            #expect(landing.status == 200)
            #expect(landing.bodyText.contains(#"href="/atsign/metrics""#), "\(landing.bodyText.prefix(1500))")
            #expect(landing.bodyText.contains(#"href="/atsign/-/healthy""#))
            #expect(!landing.bodyText.contains(#"href="/metrics""#) && !landing.bodyText.contains(#"href="/-/"#))
        }
    }

    @Test func routePrefixRootKeepsRoutesWhileLinksFollowTheExternalURL() async throws {
        // A proxy that strips /atsign before forwarding: routes at the root, links under /atsign.
        let exporter = try ExporterProcess([
            "--demo", "--web.external-url", "http://proxy.example/atsign", "--web.route-prefix", "/",
        ])
        try await withStarted(exporter, stop: { await $0.stop() }) { exporter in
            try await exporter.waitListening()
            #expect(try await exporter.get("/metrics").status == 200)
            let landing = try await exporter.get("/")
            #expect(landing.status == 200 && landing.bodyText.contains(#"href="/atsign/metrics""#))
        }
    }
}
