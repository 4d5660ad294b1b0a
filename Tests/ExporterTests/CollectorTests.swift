import AtSimulator
import AtStatus
import Exposition
import TestSupport
import Testing

@testable import Exporter

/// The collectors' profiles on the demo fleet, and the flags and config keys that choose them.
@Suite(.timeLimit(.minutes(1))) struct CollectorTests {
    /// Series per atSign in a text exposition (lines carrying its `atsign` label).
    static func seriesPerAtSign(_ body: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for line in body.split(separator: "\n") where !line.hasPrefix("#") {
            guard let range = line.range(of: "atsign=\"") else { continue }
            counts[String(line[range.upperBound...].prefix { $0 != "\"" }), default: 0] += 1
        }
        return counts
    }

    static func families(_ body: String) -> Set<String> {
        Set(body.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) })
    }

    /// The demo fleet after one round; the harness's timeout for a fleet with hung peers leaves `@slow` healthy.
    static func demoSnapshot() async throws -> Snapshot {
        let scenarios = Dictionary(uniqueKeysWithValues: Fleet.demo.entries.map { ($0.atSign.name, $0.scenario) })
        return try await ExporterHarness.with(scenarios: scenarios) { harness in
            await harness.round()
            return harness.service.store.snapshot
        }
    }

    static func render(_ snapshot: Snapshot, _ collectors: Set<MetricCollector>) -> String {
        String(
            decoding: MetricsPage.render(
                snapshot, format: .prometheusText, includeProcess: false, collectors: collectors),
            as: UTF8.self)
    }

    @Test func demoDefaultProfileHasEightSeriesPerHealthyAtSignAndEveryFamilyByFlag() async throws {
        let snapshot = try await Self.demoSnapshot()
        let body = Self.render(snapshot, MetricCollector.defaults)
        let counts = Self.seriesPerAtSign(body)
        #expect(counts.count == Fleet.demo.entries.count)
        for atSign in snapshot.targets {
            let result = try #require(snapshot.records[atSign]?.result)
            let count = counts[atSign.name] ?? 0
            if result.atSignStatus == .activated { #expect(count == 8, "\(atSign.name): \(count)") }
            // At most 8 for every atSign, failing or not: failure_info takes the duration's place.
            #expect(count <= 8, "\(atSign.name): \(count)")
            let hasDuration = body.contains("atsign_probe_duration_seconds{atsign=\"\(atSign.name)\"}")
            #expect(hasDuration == (result.failure == nil), "\(atSign.name)")
        }
        #expect(counts["@activated"] == 8)
        let defaults = Self.families(body)
        for collector in MetricCollector.allCases {
            let names = Set(collector.families.map(\.name))
            #expect(collector.isDefault == names.isSubset(of: defaults), "\(collector)")
            let alone = Self.families(Self.render(snapshot, MetricCollector.defaults.union([collector])))
            #expect(names.isSubset(of: alone), "--collector.\(collector.rawValue) shows \(names.subtracting(alone))")
            let without = Self.families(Self.render(snapshot, MetricCollector.defaults.subtracting([collector])))
            #expect(names.isDisjoint(with: without), "--no-collector.\(collector.rawValue)")
        }
        let full = Self.families(Self.render(snapshot, Set(MetricCollector.allCases)))
        #expect(Set(AtSignFamily.table.values.joined().map(\.name)).isSubset(of: full))
    }

    @Test func flagsAndConfigKeysChooseTheCollectors() throws {
        #expect(try loadSettings([]).collectors == MetricCollector.defaults)
        #expect(try loadSettings(["--metrics.detail"]).collectors == Set(MetricCollector.allCases))
        let chosen = try loadSettings(["--collector.phases", "--no-collector.cert", "--collector.history=true"])
        #expect(chosen.collectors == [.status, .duration, .phases, .history])
        let detailButOne = try loadSettings(["--metrics.detail", "--no-collector.server_info"])
        #expect(detailButOne.collectors == Set(MetricCollector.allCases).subtracting([.serverInfo]))
        let file = #"{"metrics.detail": true, "collector.probes": false}"#
        let fromFile = try loadSettings(["--config.file", "c.json"], files: ["c.json": file])
        #expect(fromFile.collectors == Set(MetricCollector.allCases).subtracting([.probes]))
        let overridden = try loadSettings(["--config.file", "c.json", "--collector.probes"], files: ["c.json": file])
        #expect(overridden.collectors == Set(MetricCollector.allCases))
    }

    @Test func badCollectorNamesAreClearErrors() {
        #expect(
            settingsError(["--collector.phase"])
                == "unknown collector \"phase\" in --collector.phase; did you mean \"phases\"? The collectors are "
                + "status, duration, cert, root_status, server_status, http_status, phases, server_info, probes, history."
        )
        #expect(
            settingsError(["--no-collector.bogus"])?.hasPrefix("unknown collector \"bogus\" in --no-collector.bogus")
                == true)
        #expect(
            settingsError(["--collector.phases=maybe"])
                == "invalid boolean \"maybe\" for --collector.phases: expected true or false")
        let file = settingsError(["--config.file", "c.json"], files: ["c.json": #"{"collector.uptime": true}"#])
        #expect(file?.hasPrefix("unknown collector \"uptime\" in key \"collector.uptime\" in c.json line 1") == true)
        #expect(file?.contains("The collectors are status, duration") == true)
        let type = settingsError(["--config.file", "c.json"], files: ["c.json": #"{"collector.phases": "yes"}"#])
        #expect(type?.contains("must be true or false") == true)
    }

    @Test func helpListsEachCollectorWithItsFamiliesAndSeries() {
        let help = HelpText.text(for: .serve)
        #expect(help.contains("  --metrics.detail\n"))
        #expect(
            help.contains(
                "  --collector.root_status\n        per atSign: atsign_root_status{status} (5) (default: false)"))
        #expect(help.contains("  --collector.status\n"))
        #expect(help.contains("atsign_probe_failure_info{reason,phase} (0 or 1: only while failing) (default: true)"))
        #expect(!HelpText.text(for: .check).contains("--collector."))
    }

    @Test func fleetSeriesCountEveryStatusAndReasonWithZerosKept() throws {
        let text = MetricsText(body: Self.render(try GoldenExpositionTests.snapshot(), []))
        let byStatus = AtSignStatus.allCases.map {
            text.value("atsign_exporter_atsigns_by_status{status=\"\($0.rawValue)\"}")
        }
        #expect(byStatus == [1, 1, 1, 1, 0])
        for reason in FailureReason.allCases {
            let value = text.value("atsign_exporter_atsigns_failing{reason=\"\(reason.rawValue)\"}")
            #expect(value == (reason == .timeout ? 1 : 0), "\(reason)")
        }
        #expect(text.value("atsign_exporter_atsigns") == 5)
        #expect(!text.body.contains("atsign=\""))
    }

    @Test func consecutiveFailuresCountAndReset() throws {
        let store = SnapshotStore(rootAddress: "root.example:64")
        let alice = try AtSign("@alice")
        store.setTargets([alice])
        var failed = FakeChecker.result(alice, .found, .unavailable)
        failed.failure = ProbeFailure(reason: .timeout, phase: .serverCheck, message: "timed out")
        for expected in 1...3 {
            store.record(failed)
            #expect(store.snapshot.records[alice]?.consecutiveFailures == UInt64(expected))
        }
        store.record(FakeChecker.result(alice, .found, .teapot))
        #expect(store.snapshot.records[alice]?.consecutiveFailures == 0)
        store.record(failed)
        let body = Self.render(store.snapshot, [.history])
        #expect(body.contains("atsign_probe_consecutive_failures{atsign=\"@alice\"} 1\n"))
    }
}
