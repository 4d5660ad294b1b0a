import Foundation
import Glibc
import NetIO
import TestSupport
import Testing

/// SIGHUP while a probe round is running: the process survives, keeps answering, and the new
/// configuration takes effect; a SIGHUP with a broken file keeps the running one.
@Suite(.timeLimit(.minutes(2))) struct FaultSignalTests {
    @Test func sighupDuringARoundReloadsWithoutHarm() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-hup-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("atsigns.txt")
        try "@activated\n@teapot\n@hung\n".write(to: file, atomically: true, encoding: .utf8)
        try await withStarted(try await BuiltBinaries.Simulator.start(), stop: { await $0.stop() }) { simulator in
            try await withStarted(
                try ExporterProcess([
                    "--root.address", simulator.root, "--tls.ca-file", simulator.caFile, "--atsigns.file", file.path,
                    "--probe.timeout", "8s", "--probe.interval", "10s",
                ]), stop: { await $0.stop() }
            ) { exporter in
                // @hung (started 1.7 s in, the starts spread over 5 s) holds the first round open for its 8 s
                // timeout: the signals land inside it.
                try await Self.onceListening(exporter) {
                    try "@activated\n@teapot\n@hung\n@ready\n".write(to: file, atomically: true, encoding: .utf8)
                    for _ in 0..<5 { exporter.send(SIGHUP) }
                }
                #expect(try await exporter.get("/metrics").status == 200)
                try await eventually(every: .milliseconds(50), "the reload to add @ready to the landing page") {
                    try await exporter.get("/").bodyText.contains(">@ready</a>")
                }
                var metrics = ""
                try await eventually(every: .milliseconds(200), "@hung's probe to time out") {
                    metrics = try await exporter.get("/metrics").bodyText
                    return metrics.contains(#"atsign_status{atsign="@hung",status="unavailable"} 1"#)
                }
                #expect(
                    metrics.contains(#"atsign_status{atsign="@activated",status="activated"} 1"#), "\(exporter.log)")
                #expect(metrics.contains(#"atsign_status{atsign="@teapot",status="teapot"} 1"#))
                #expect(
                    metrics.contains(
                        #"atsign_probe_failure_info{atsign="@hung",phase="server_check",reason="timeout"} 1"#))
                #expect(try await exporter.get("/-/ready").status == 200)
                #expect(metrics.contains("atsign_exporter_config_last_reload_successful 1"))
                // The signals landed inside the first round: the reload is logged before the round's
                // count of first statuses, which only @hung's probe timing out could let it log.
                let log = exporter.log
                let reloaded = try #require(log.range(of: #"msg="configuration reloaded""#), "\(log)")
                let roundEnded = try #require(log.range(of: #"msg="first statuses" atsigns=3 "#), "\(log)")
                #expect(reloaded.lowerBound < roundEnded.lowerBound, "the round ended before the signals: \(log)")
                #expect(exporter.process.isRunning)

                try "@activated\nnot an atsign\n".write(to: file, atomically: true, encoding: .utf8)
                exporter.send(SIGHUP)
                var failed = ""
                try await eventually(every: .milliseconds(100), "the broken file's reload to fail") {
                    failed = try await exporter.get("/metrics").bodyText
                    return failed.contains("atsign_exporter_config_last_reload_successful 0")
                }
                #expect(failed.contains(#"atsign_status{atsign="@activated",status="activated"} 1"#))
                #expect(exporter.process.isRunning)
                #expect(await exporter.stop() == 0)
            }
        }
    }

    /// Runs `act` as soon as the exporter accepts connections, on a thread of its own: a task on
    /// the cooperative pool, which every test in the process shares, can wait longer than the
    /// first round lasts for a thread (it waited 11 s once), an OS thread is not queued so.
    static func onceListening(_ exporter: ExporterProcess, _ act: @escaping @Sendable () throws -> Void)
        async throws
    {
        try await ProcessRunner.offPool {
            let deadline = Deadline.after(Patience.deadline)
            while !accepts(port: exporter.port) {
                guard exporter.process.isRunning else { throw ExporterExit(log: exporter.log) }
                guard !deadline.hasPassed else { throw NetError.timeout(operation: "exporter start") }
                usleep(10_000)  // the polling cadence: the exporter announces its listening no other way
            }
            try act()
        }
    }

    /// Whether a blocking connect to 127.0.0.1:`port` succeeds.
    static func accepts(port: Int) -> Bool {
        guard let address = SocketAddress(numericHost: "127.0.0.1", port: port) else { return false }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return address.withSockaddr { connect(fd, $0, $1) } == 0
    }
}
