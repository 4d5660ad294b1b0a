import Foundation
import NetIO
import TestSupport
import Testing

/// 1,000 clients connect and hold keep-alive connections: the exporter keeps answering scrapes, and
/// with the default `--web.max-connections` (512) the surplus gets a 503, not a hang.
@Suite(.serialized, .timeLimit(.minutes(2))) struct FaultConnectionTests {
    static let held = 1_000

    @Test func aThousandHeldConnectionsDoNotStopScrapes() async throws {
        try await withStarted(try await BuiltBinaries.Simulator.start(), stop: { await $0.stop() }) { simulator in
            try await withStarted(
                try ExporterProcess([
                    "--root.address", simulator.root, "--tls.ca-file", simulator.caFile, "--atsign", "@activated",
                    "--web.max-connections", "2000",
                ]), stop: { await $0.stop() }
            ) { exporter in
                try await exporter.waitReady()
                let before = exporter.openDescriptors
                let idle = try await Self.connect(Self.held, to: exporter.port)
                try await eventually { exporter.openDescriptors >= before + Self.held - 5 }
                #expect(exporter.openDescriptors >= before + Self.held - 5, "the exporter did not accept them all")
                // The held connections end only when the test closes them (their idle timeout is
                // 120 s), so a scrape answered while they are all open did not wait behind them.
                let scrape = try await exporter.get("/metrics")
                #expect(scrape.status == 200)
                #expect(scrape.bodyText.contains(#"atsign_status{atsign="@activated",status="activated"} 1"#))
                #expect(
                    exporter.openDescriptors >= before + Self.held - 5, "a scrape waited behind the held connections")
                for connection in idle { await connection.close() }
                try await eventually { exporter.openDescriptors <= before + 5 }
                #expect(exporter.openDescriptors <= before + 5, "held connections were not released")
            }
        }
    }

    @Test func overTheDefaultLimitTheSurplusGets503() async throws {
        try await withStarted(try await BuiltBinaries.Simulator.start(), stop: { await $0.stop() }) { simulator in
            try await withStarted(
                try ExporterProcess([
                    "--root.address", simulator.root, "--tls.ca-file", simulator.caFile, "--atsign", "@activated",
                ]), stop: { await $0.stop() }
            ) { exporter in
                try await exporter.waitReady()
                let before = exporter.openDescriptors
                let (keepAlive, first) = try await withTaskExecutorPreference(promptClient) {
                    let keepAlive = try await WireClient(port: exporter.port)
                    return (keepAlive, try await keepAlive.get("/metrics"))
                }
                #expect(first.status == 200)
                var idle = try await Self.connect(511, to: exporter.port)
                try await eventually { exporter.openDescriptors >= before + 512 - 5 }

                // Every connection beyond the limit is refused; one that gets in (the server had not yet
                // accepted all the idle ones) is simply held too.
                var refusals: [WireResponse] = []
                for _ in 0..<Self.held - 512 where refusals.count < 20 {
                    let connection = try await TCPConnection.connect(
                        host: "127.0.0.1", port: exporter.port, deadline: .after(Patience.deadline))
                    // Only sorts: a refusal is answered at once, a connection that got in is not
                    // answered at all; a late refusal counted as held fails nothing.
                    guard let answer = try? await WireClient(stream: connection).response(timeout: .seconds(3)) else {
                        idle.append(connection)
                        continue
                    }
                    refusals.append(answer)
                    await connection.close()
                }
                #expect(refusals.count == 20)
                for refusal in refusals {
                    #expect(
                        refusal.status == 503
                            && refusal.bodyText == "503 Service Unavailable: more than 512 open connections\n"
                    )
                }
                let existing = try await keepAlive.get("/metrics")
                #expect(
                    existing.status == 200 && existing.bodyText.contains("atsign_up"),
                    "the kept-alive scrape was refused")

                for connection in idle.prefix(100) { await connection.close() }
                idle.removeFirst(100)
                let remaining = idle.count + 1
                try await eventually { exporter.openDescriptors <= before + remaining + 5 }
                let later = try await exporter.get("/metrics")
                #expect(later.status == 200, "no room after connections were released")
                for connection in idle { await connection.close() }
                await keepAlive.close()
            }
        }
    }

    /// Opens `count` keep-alive connections, 50 at a time, each having made one request and now
    /// idle: held past the 10 s request-head timeout that drops clients who never send anything.
    static func connect(_ count: Int, to port: Int) async throws -> [TCPConnection] {
        var connections: [TCPConnection] = []
        while connections.count < count {
            let batch = min(50, count - connections.count)
            connections += try await withThrowingTaskGroup(of: TCPConnection.self) { group in
                for _ in 0..<batch {
                    group.addTask(executorPreference: promptClient) {
                        let connection = try await TCPConnection.connect(
                            host: "127.0.0.1", port: port, deadline: .after(Patience.deadline))
                        let answer = try await WireClient(stream: connection).get("/-/healthy")
                        guard answer.status == 200 else { throw NetError.protocolViolation("\(answer.status)") }
                        return connection
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        return connections
    }
}
