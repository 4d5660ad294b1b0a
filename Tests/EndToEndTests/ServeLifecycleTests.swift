import Foundation
import NetIO
import TestSupport
import Testing

/// The built binary as an operator runs it: demo mode, readiness, SIGHUP, SIGTERM.
@Suite(.serialized, .timeLimit(.minutes(2))) struct ServeLifecycleTests {
    /// The status code of a GET, or nil when nothing answers.
    static func get(port: Int, _ path: String) async -> Int? {
        await withTaskExecutorPreference(promptClient) {
            let deadline = Deadline.after(Patience.deadline)
            guard
                let connection = try? await TCPConnection.connect(host: "127.0.0.1", port: port, deadline: deadline)
            else { return nil }
            let request = "GET \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            try? await connection.write(Array(request.utf8), deadline: deadline)
            let head = (try? await connection.read(maxBytes: 64, deadline: deadline)) ?? []
            await connection.close()
            let words = String(decoding: head, as: UTF8.self).split(separator: " ")
            return words.count > 1 ? Int(words[1]) : nil
        }
    }

    @Test func demoServesReloadsOnSIGHUPAndStopsOnSIGTERM() async throws {
        let port = try freePort()
        let log = Pipe()
        let process = try ChildProcess(
            BuiltBinaries.path("atsign_exporter"),
            ["--demo", "--web.listen-address=127.0.0.1:\(port)", "--probe.timeout=2s"],
            stderr: .descriptor(log.fileHandleForWriting.fileDescriptor))
        try? log.fileHandleForWriting.close()
        defer { if process.isRunning { process.terminate() } }
        try await eventually(every: .milliseconds(100), "the demo to be ready") {
            await Self.get(port: port, "/-/ready") == 200
        }
        process.send(SIGHUP)
        // Fixed: gives SIGHUP time to be handled (or to kill a process that mishandles it).
        try await Task.sleep(for: .milliseconds(300))
        #expect(process.isRunning)
        #expect(await Self.get(port: port, "/metrics") == 200)
        let stopStart = Date()
        process.terminate()
        let handle = log.fileHandleForReading
        let text = try await ProcessRunner.offPool {
            let data = handle.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        #expect(process.terminationStatus == 0)
        // Exiting at all, with status 0, is the answer to SIGTERM; the bound is as wide as the
        // patience for anything that must happen, so only a stop that hangs fails it.
        #expect(Date().timeIntervalSince(stopStart) < Patience.deadline.secondsDouble)
        #expect(text.contains("msg=\"configuration reloaded\" atsigns=11"), "\(text)")
        #expect(text.contains("signal=15") && text.contains("msg=stopped"))
    }

    @Test func aTakenPortIsAClearError() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let run = try await BuiltBinaries.run(
            "atsign_exporter", ["--web.listen-address=127.0.0.1:\(listener.port)", "--atsign=@alice"],
            timeout: .seconds(20))
        #expect(run.status == 1)
        #expect(run.stderr.contains("cannot start the HTTP server") && run.stderr.contains("\(listener.port)"))
    }
}
