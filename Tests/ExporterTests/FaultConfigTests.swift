import AtSimulator
import AtStatus
import Foundation
import Testing

@testable import Exporter

/// The config file is deleted, then corrupted, then fixed: failed reloads keep the running
/// configuration (and say so), scrapes and probes go on, and the fixed file is picked up.
@Suite(.timeLimit(.minutes(1))) struct FaultConfigTests {
    @Test func deletedAndCorruptedConfigKeepsTheRunningOne() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fault-config-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("exporter.json")
        try #"{"atsigns": ["@alice", "@bob"]}"#.write(to: file, atomically: true, encoding: .utf8)
        try await ExporterHarness.with(
            scenarios: ["@alice": .activated, "@bob": .teapot, "@carol": .activated],
            arguments: ["--config.file", file.path]
        ) { harness in
            await harness.round()
            #expect(harness.service.store.snapshot.targets.map(\.name) == ["@alice", "@bob"])

            try FileManager.default.removeItem(at: file)
            let deleted = try await harness.request("/-/reload", method: "POST")
            #expect(deleted.status == 500 && deleted.body.contains(file.path), "\(deleted.body)")
            await harness.round()
            try await expectStillServing(harness)

            try #"{"atsigns": ["@alice", "@bob""#.write(to: file, atomically: true, encoding: .utf8)
            let truncated = try await harness.request("/-/reload", method: "POST")
            #expect(truncated.status == 500 && truncated.body.contains("invalid JSON"), "\(truncated.body)")
            try Data([0x7B, 0xFF, 0xFE, 0x00, 0x7D]).write(to: file)
            #expect(try await harness.request("/-/reload", method: "POST").status == 500)
            #expect(await harness.service.reload().isFailure)
            await harness.round()
            try await expectStillServing(harness)

            try #"{"atsigns": ["@alice", "@bob", "@carol"]}"#.write(to: file, atomically: true, encoding: .utf8)
            #expect(try await harness.request("/-/reload", method: "POST").status == 200)
            await harness.round()
            let fixed = MetricsText(body: try await harness.request("/metrics").body)
            #expect(fixed.value("atsign_exporter_config_last_reload_successful") == 1)
            #expect(fixed.status(of: "@carol") == "activated")
            #expect(fixed.status(of: "@alice") == "activated" && fixed.status(of: "@bob") == "teapot")
        }
    }

    private func expectStillServing(_ harness: ExporterHarness) async throws {
        let metrics = try await harness.request("/metrics")
        #expect(metrics.status == 200)
        let text = MetricsText(body: metrics.body)
        #expect(text.value("atsign_exporter_config_last_reload_successful") == 0)
        #expect(text.status(of: "@alice") == "activated" && text.status(of: "@bob") == "teapot")
        #expect(text.status(of: "@carol") == nil)
        #expect(harness.service.store.snapshot.targets.map(\.name) == ["@alice", "@bob"])
    }
}

extension Result {
    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}
