import Foundation
import TestSupport
import Testing

/// `atsign_exporter check` against a running `atsign_sim`, as a newcomer would run them.
@Suite(.serialized, .timeLimit(.minutes(2))) struct CheckCommandTests {
    @Test func jsonLinesForEveryStatusAndExitOne() async throws {
        try await withStarted(try await BuiltBinaries.Simulator.start(), stop: { await $0.stop() }) { simulator in
            let expected = [
                "@activated": ("activated", 200), "@ready": ("teapot", 418), "@teapot": ("teapot", 418),
                "@notfound": ("notFound", 404), "@stopped": ("unavailable", 503), "@garbage": ("error", 500),
                "@expired": ("unavailable", 503),
            ]
            let run = try await BuiltBinaries.run(
                "atsign_exporter",
                [
                    "check", "--root.address", simulator.root, "--tls.ca-file", simulator.caFile, "--output", "json",
                    "--probe.timeout", BuiltBinaries.patientProbeTimeout,
                ]
                    + expected.keys.sorted())
            #expect(run.status == 1, "stderr: \(run.stderr)")
            let lines = run.stdout.split(separator: "\n")
            #expect(lines.count == expected.count)
            for line in lines {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let atSign = try #require(object["atSign"] as? String)
                #expect(object["status"] as? String == expected[atSign]?.0, "\(line)")
                #expect(object["httpStatus"] as? Int == expected[atSign]?.1, "\(line)")
            }
        }
    }

    @Test func allActivatedExitsZeroWithATable() async throws {
        try await withStarted(try await BuiltBinaries.Simulator.start(), stop: { await $0.stop() }) { simulator in
            let run = try await BuiltBinaries.run(
                "atsign_exporter",
                [
                    "check", "--root.address=\(simulator.root)", "--tls.ca-file=\(simulator.caFile)",
                    "--probe.timeout=\(BuiltBinaries.patientProbeTimeout)", "Activated",
                ])
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.stdout.hasPrefix("ATSIGN"))
            #expect(run.stdout.contains("@activated  activated  200"))
        }
    }

    @Test func badAtSignExitsTwoAndNamesIt() async throws {
        let run = try await BuiltBinaries.run("atsign_exporter", ["check", "@ok", "@not:ok"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("@not:ok") && run.stderr.contains("forbidden ':'"), "\(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test func badFlagExitsTwoAndNamesIt() async throws {
        let run = try await BuiltBinaries.run("atsign_exporter", ["check", "@alice", "--probe.timout=5s"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--probe.timout") && run.stderr.contains("--probe.timeout"), "\(run.stderr)")
        let duration = try await BuiltBinaries.run("atsign_exporter", ["check", "@alice", "--probe.timeout=5x"])
        #expect(duration.status == 2 && duration.stderr.contains("5x"), "\(duration.stderr)")
    }

    @Test func demoNeedsNoNetwork() async throws {
        let run = try await BuiltBinaries.run(
            "atsign_exporter", ["check", "--demo", "--probe.timeout=2s", "--output=json"])
        #expect(run.status == 1)
        #expect(run.stdout.split(separator: "\n").count == 11, "\(run.stdout)")
    }

    @Test func versionAndHelp() async throws {
        let version = try await BuiltBinaries.run("atsign_exporter", ["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("atsign_exporter, version "))
        let help = try await BuiltBinaries.run("atsign_exporter", ["--help"])
        #expect(help.status == 0 && help.stdout.contains("--web.listen-address"))
    }
}
