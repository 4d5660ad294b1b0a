import AtSimulator
import AtStatus
import NetIO
import Synchronization
import TestSupport
import Testing

@testable import Exporter

/// `/probe` and `/api/v1/status` take atSigns, never hosts or ports: a hostile target is a 400
/// and causes no connection at all; locations outside `--probe.allowed-domains` are refused;
/// fresh probes are rate limited.
@Suite(.timeLimit(.minutes(1))) struct FaultTargetTests {
    /// A listener standing in for the host an attacker names; it counts who connects.
    final class Bait: Sendable {
        let listener: TCPListener
        private let accepted: Counter
        private let loop: Task<Void, Never>

        init() throws {
            let listener = try TCPListener(host: "127.0.0.1", port: 0)
            let accepted = Counter()
            self.listener = listener
            self.accepted = accepted
            loop = Task {
                while let connection = try? await listener.accept() {
                    accepted.add()
                    await connection.close()
                }
            }
        }

        var connections: Int { accepted.value }

        func close() async {
            listener.close()
            await loop.value
        }
    }

    @Test func hostsAndPortsAreRefusedWithoutAnyConnection() async throws {
        try await ExporterHarness.with(scenarios: ["@alice": .activated]) { harness in
            let bait = try Bait()
            let port = bait.listener.port
            let targets = [
                "evil.example:443", "@a:1", "127.0.0.1:\(port)", "%40127.0.0.1%3A\(port)", "localhost:\(port)",
                "@alice@127.0.0.1", "http://127.0.0.1:\(port)/", "%22@a%22", "@a%0Ab", "",
            ]
            for target in targets {
                let probe = try await harness.request("/probe?target=\(target)")
                #expect(probe.status == 400, "/probe?target=\(target)")
                #expect(probe.body.contains("invalid atSign") || probe.body.contains("target parameter is missing"))
                let status = try await harness.request("/api/v1/status/\(target)?fresh=1")
                #expect(status.status == 400 || (target.isEmpty && status.status == 404), "/api/v1/status/\(target)")
            }
            let named = try await harness.request("/probe?target=evil.example:443")
            #expect(named.body == "invalid atSign \"evil.example:443\": it holds a forbidden ':'\n")
            // Fixed: a negative check; a connection, had one been made, would have arrived by now.
            try await Task.sleep(for: .milliseconds(200))
            #expect(bait.connections == 0)
            #expect(harness.simulator.rootCounters.handshakes == 0)
            #expect(harness.simulator.rootCounters.lookups == 0)
            await bait.close()
        }
    }

    @Test func aHostWithoutAPortIsOnlyAnAtSignAskedOfTheRoot() async throws {
        try await ExporterHarness.with(scenarios: ["@alice": .activated]) { harness in
            let bait = try Bait()
            let probe = try await harness.request("/probe?target=127.0.0.1")
            #expect(probe.status == 200)
            #expect(probe.body.contains(#"atsign_status{atsign="@127.0.0.1",status="notFound"} 1"#), "\(probe.body)")
            #expect(harness.simulator.rootCounters.lookups == 1)
            #expect(bait.connections == 0)
            await bait.close()
        }
    }

    @Test func locationsOutsideTheAllowedDomainsAreRefused() async throws {
        try await ExporterHarness.with(
            scenarios: ["@alice": .hung, "@bob": .activated], arguments: ["--probe.allowed-domains", "atsign.wtf"]
        ) { harness in
            // Had the hung server been connected to, its reason would be timeout, not forbidden_location.
            await harness.round()
            let metrics = MetricsText(body: try await harness.request("/metrics").body)
            for atSign in ["@alice", "@bob"] {
                #expect(metrics.status(of: atSign) == "error", "\(atSign)")
                #expect(metrics.failureReason(of: atSign) == "forbidden_location", "\(atSign)")
            }
            #expect(metrics.rootUp == 1)
            let status = try await harness.request("/api/v1/status/@bob")
            #expect(status.status == 500 && status.body.contains("outside --probe.allowed-domains"), "\(status.body)")
            let probe = try await harness.request("/probe?target=@bob")
            #expect(probe.body.contains(#"reason="forbidden_location""#) && probe.body.contains("probe_success 0"))
        }
    }

    @Test func locationsInsideTheAllowedDomainsAreProbed() async throws {
        try await ExporterHarness.with(
            scenarios: ["@bob": .activated],
            arguments: ["--probe.allowed-domains", "atsign.wtf", "--probe.allowed-domains", "0.0.1"]
        ) { harness in
            await harness.round()
            let metrics = MetricsText(body: try await harness.request("/metrics").body)
            #expect(metrics.status(of: "@bob") == "activated" && metrics.failureReason(of: "@bob") == nil)
        }
    }

    /// The rate limit guards the status API; `/probe`, which a Prometheus job drives, is never
    /// refused by it (only `--probe.concurrency` bounds it).
    @Test func statusFreshProbesAreRateLimitedAndProbeIsNot() async throws {
        try await ExporterHarness.with(scenarios: ["@alice": .activated], maxFreshProbes: 2) { harness in
            let start = Deadline.now
            let answers = try await withThrowingTaskGroup(of: (String, Int, String).self) { group in
                for index in 0..<12 {
                    let target = index.isMultiple(of: 2) ? "/probe?target=@alice" : "/api/v1/status/@alice?fresh=1"
                    group.addTask {
                        let answer = try await harness.request(target)
                        return (target, answer.status, answer.body)
                    }
                }
                return try await group.reduce(into: [(String, Int, String)]()) { $0.append($1) }
            }
            let elapsed = Deadline.now.seconds(since: start)
            let probes = answers.filter { $0.0.hasPrefix("/probe") }.map(\.1)
            let statuses = answers.filter { !$0.0.hasPrefix("/probe") }.map(\.1)
            #expect(probes == [200, 200, 200, 200, 200, 200])
            let allowed = statuses.filter { $0 == 200 }.count
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 429 }, "\(statuses)")
            #expect(allowed >= 1 && allowed <= 2 + Int(elapsed * 2), "\(statuses) in \(elapsed) s")
            #expect(harness.simulator.rootCounters.lookups == 6 + allowed, "a refused probe still reached the root")
            for (_, status, body) in answers where status == 429 {
                #expect(body == "too many fresh probes; see --web.max-fresh-probes-per-second\n")
            }
            #expect(try await harness.request("/metrics").status == 200)
        }
    }
}
