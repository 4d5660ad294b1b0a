import Foundation
import Glibc
import NetIO
import TestSupport

/// A running `atsign_exporter serve` on a free loopback port, watched from outside through
/// `/proc/<pid>` the way an operator would watch it.
final class ExporterProcess: Sendable {
    let process: ChildProcess
    let port: Int
    let logFile: URL

    /// Starts the exporter with `--web.listen-address 127.0.0.1:<free port>` added.
    init(_ arguments: [String]) throws {
        port = try freePort()
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("exporter-\(UUID()).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let log = try FileHandle(forWritingTo: logFile)
        defer { try? log.close() }
        process = try ChildProcess(
            BuiltBinaries.path("atsign_exporter"), ["--web.listen-address", "127.0.0.1:\(port)"] + arguments,
            stdout: .descriptor(log.fileDescriptor), stderr: .descriptor(log.fileDescriptor))
    }

    var pid: Int32 { process.processIdentifier }
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Waits until the HTTP port accepts connections (the process is up), or throws.
    func waitListening(timeout: Duration = Patience.deadline) async throws {
        let deadline = Deadline.after(timeout)
        try await eventually(deadline: timeout, every: .milliseconds(50), "the exporter to listen") {
            guard process.isRunning else { throw ExporterExit(log: log) }
            guard let connection = try? await TCPConnection.connect(host: "127.0.0.1", port: port, deadline: deadline)
            else { return false }
            await connection.close()
            return true
        }
    }

    /// Waits until `/-/ready` answers 200: the first round is done.
    func waitReady(timeout: Duration = Patience.deadline) async throws {
        try await waitListening(timeout: timeout)
        try await eventually(deadline: timeout, every: .milliseconds(100), "the exporter to be ready") {
            try await get("/-/ready").status == 200
        }
    }

    /// One request on a fresh plain connection, sent from `promptClient`'s thread.
    func get(_ target: String, timeout: Duration = Patience.deadline) async throws -> WireResponse {
        try await withTaskExecutorPreference(promptClient) {
            let client = try await WireClient(port: port, timeout: timeout)
            do {
                let response = try await client.get(target, timeout: timeout)
                await client.close()
                return response
            } catch {
                await client.close()
                throw error
            }
        }
    }

    /// Open descriptors of the process.
    var openDescriptors: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    /// Resident set size in bytes, from `VmRSS` in `/proc/<pid>/status`.
    var residentBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
        else { return -1 }
        return kib * 1024
    }

    func send(_ signal: Int32) { process.send(signal) }

    /// SIGTERM, then waits off the cooperative pool; returns the exit status.
    @discardableResult
    func stop() async -> Int32 {
        if process.isRunning { process.terminate() }
        let process = self.process
        _ = try? await ProcessRunner.offPool { process.waitUntilExit() }
        try? FileManager.default.removeItem(at: logFile)
        return process.terminationStatus
    }
}

/// The exporter exited before it was ready; its log says why.
struct ExporterExit: Error, CustomStringConvertible {
    let log: String
    var description: String { "atsign_exporter exited early:\n\(log)" }
}

/// A thread of its own for clients of the exporter, whose request must follow the connect at
/// once: the exporter closes a connection that sends nothing for 10 s (its head timeout), and a
/// task on the cooperative pool, which the whole suite shares, has waited 11 s for a thread.
let promptClient = ThreadExecutor(name: "e2e-prompt-client")
