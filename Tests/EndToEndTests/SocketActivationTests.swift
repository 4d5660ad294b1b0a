import Foundation
import NetIO
import TestSupport
import Testing

/// `--web.systemd-socket` under systemd's own socket-activation tool: systemd-socket-activate
/// listens, then starts the exporter with the socket as descriptor 3 and LISTEN_FDS/LISTEN_PID
/// set, exactly as a `.socket` unit does.
@Suite(
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-socket-activate"),
        "needs /usr/bin/systemd-socket-activate (package systemd)"),
    .timeLimit(.minutes(2))
)
struct SocketActivationTests {
    @Test func servesOnTheSocketSystemdPasses() async throws {
        let port = try freePort()
        let process = try ChildProcess(
            "/usr/bin/systemd-socket-activate",
            [
                "--listen", "127.0.0.1:\(port)", BuiltBinaries.path("atsign_exporter"), "--web.systemd-socket",
                "--demo", "--web.listen-address", "127.0.0.1:1",
            ])
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        // The tool listens before it returns from startup; ask until it answers (fails loudly).
        var response: WireResponse?
        try await eventually(every: .milliseconds(100), "an answer on the activated socket") {
            #expect(process.isRunning, "systemd-socket-activate exited")
            guard let client = try? await WireClient(port: port) else { return false }
            response = try? await client.get("/metrics")
            await client.close()
            return response != nil
        }
        #expect(response?.status == 200 && response?.bodyText.contains("atsign_exporter_build_info") == true)
    }

    @Test func withoutSystemdTheFlagFailsWithAnExplanation() async throws {
        let run = try await BuiltBinaries.run("atsign_exporter", ["--web.systemd-socket", "--demo"])
        #expect(run.status == 2, "\(run.combined)")
        #expect(run.combined.contains("LISTEN_FDS is not set"), "\(run.combined)")
    }
}
