import Foundation
import NetIO
import TestSupport
import Testing

/// 10,000 probes and 10,000 HTTP requests against the built exporter leave its descriptor
/// count and resident memory where they were after a warm-up.
///
/// A soak: it keeps both cores busy for most of a minute, which would starve the deadline-bound
/// tests running beside it. So it runs only when `ATSIGN_SOAK_TESTS=1`, as `.ci/run` does in a
/// step of its own: `ATSIGN_SOAK_TESTS=1 swift test --filter LeakTests`.
@Suite(
    .serialized, .timeLimit(.minutes(3)),
    .enabled(if: ProcessInfo.processInfo.environment["ATSIGN_SOAK_TESTS"] == "1", "set ATSIGN_SOAK_TESTS=1")
)
struct LeakTests {
    static let probes = 10_000
    static let requests = 10_000
    static let fleetSize = 40

    @Test func probesAndRequestsLeaveDescriptorsAndMemoryAtBaseline() async throws {
        try await withStarted(
            try await BuiltBinaries.Simulator.start(arguments: [
                "--generate", "\(Self.fleetSize)", "--mix", "activated=50,stopped=20,teapot=10,errorReply=10,ready=10",
            ]), stop: { await $0.stop() }
        ) { simulator in
            try await withStarted(
                try ExporterProcess([
                    "--root.address", simulator.root, "--tls.ca-file", simulator.caFile, "--atsign", "@sim00001",
                    "--probe.interval", "1h", "--probe.timeout", "5s", "--web.max-fresh-probes-per-second", "1000000",
                    "--log.level", "warn",
                ]), stop: { await $0.stop() }
            ) { exporter in
                try await exporter.waitReady()
                _ = try await Self.load(exporter, probes: 400, requests: 400)  // warm-up: its outcomes do not count
                let baseline = try await Self.settledDescriptors(exporter, atMost: Int.max)
                let baselineRSS = exporter.residentBytes
                let start = Deadline.now
                let outcomes = try await Self.load(exporter, probes: Self.probes, requests: Self.requests)
                let seconds = Deadline.now.seconds(since: start)
                #expect(outcomes.probes == Self.probes && outcomes.requests == Self.requests)
                #expect(outcomes.badStatuses.isEmpty, "\(outcomes.badStatuses.prefix(5))")
                let descriptors = try await Self.settledDescriptors(exporter, atMost: baseline + 10)
                let grown = exporter.residentBytes - baselineRSS
                #expect(descriptors <= baseline + 10, "descriptors \(baseline) -> \(descriptors)")
                #expect(grown < 20 * 1024 * 1024, "RSS grew by \(grown / 1024) KiB (load took \(seconds) s)")
                #expect(exporter.process.isRunning)
            }
        }
    }

    struct Outcomes {
        var probes = 0
        var requests = 0
        var badStatuses: [String] = []
    }

    /// `probes` fresh probes through `/probe` and `requests` other requests, each over a few
    /// keep-alive connections, which are closed at the end.
    static func load(_ exporter: ExporterProcess, probes: Int, requests: Int) async throws -> Outcomes {
        let lanes = 4
        return try await withThrowingTaskGroup(of: Outcomes.self) { group in
            for lane in 0..<lanes {
                group.addTask { try await probeLane(exporter, count: probes / lanes, lane: lane) }
                group.addTask { try await requestLane(exporter, count: requests / lanes, lane: lane) }
            }
            return try await group.reduce(into: Outcomes()) { total, part in
                total.probes += part.probes
                total.requests += part.requests
                total.badStatuses += part.badStatuses
            }
        }
    }

    static func probeLane(_ exporter: ExporterProcess, count: Int, lane: Int) async throws -> Outcomes {
        let client = try await WireClient(port: exporter.port)
        var outcomes = Outcomes()
        for index in 0..<count {
            let number = (index * 4 + lane) % fleetSize + 1
            let target = String(format: "/probe?target=@sim%05d", number)
            let response = try await client.get(target)
            if response.status != 200 || !response.bodyText.contains("probe_success") {
                outcomes.badStatuses.append("\(target) \(response.status)")
            }
            outcomes.probes += 1
        }
        await client.close()
        return outcomes
    }

    static let requestTargets: [(String, Int)] = [
        ("/metrics", 200), ("/-/healthy", 200), ("/", 200), ("/api/v1/status/@sim00001", 200), ("/nope", 404),
        ("/probe?target=evil.example:443", 400), ("/-/ready", 200),
    ]

    static func requestLane(_ exporter: ExporterProcess, count: Int, lane: Int) async throws -> Outcomes {
        let client = try await WireClient(port: exporter.port)
        var outcomes = Outcomes()
        for index in 0..<count {
            let (target, expected) = requestTargets[(index + lane) % requestTargets.count]
            let response = try await client.get(target)
            if response.status != expected { outcomes.badStatuses.append("\(target) \(response.status)") }
            outcomes.requests += 1
        }
        await client.close()
        return outcomes
    }

    /// The descriptor count once closed connections are gone: polls until it is at most
    /// `limit` or stops falling.
    static func settledDescriptors(_ exporter: ExporterProcess, atMost limit: Int) async throws -> Int {
        var last = exporter.openDescriptors
        for _ in 0..<30 {
            try await Task.sleep(for: .milliseconds(200))
            let now = exporter.openDescriptors
            if now <= limit && now == last { return now }
            last = now
        }
        return last
    }
}
