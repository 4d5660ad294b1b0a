import Foundation
import TestSupport

/// Runs the executables `swift build` made, the way a user would; every wait happens off the
/// cooperative pool (see `ProcessRunner`).
enum BuiltBinaries {
    /// The folder of the test bundle is the folder of the products.
    static let directory: URL = {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug"),
        ]
        return candidates.first {
            FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("atsign_exporter").path)
        } ?? candidates[1]
    }()

    static func path(_ tool: String) -> String { directory.appendingPathComponent(tool).path }

    /// `--probe.timeout` for probes that must reach their answer (no atSign of theirs hangs):
    /// `Patience.deadline`, so a busy machine cannot turn an answer into a timeout.
    static let patientProbeTimeout = "\(Patience.deadline.components.seconds)s"

    /// Runs `tool` to completion (killed after `timeout`).
    static func run(_ tool: String, _ arguments: [String], timeout: Duration = .seconds(60)) async throws
        -> ProcessRunner.Output
    {
        try await ProcessRunner.run(path(tool), arguments, timeout: timeout)
    }

    /// A running `atsign_sim` with its default fleet; `root` is what it printed.
    final class Simulator: Sendable {
        let process: ChildProcess
        let root: String
        let caFile: String

        private init(process: ChildProcess, root: String, caFile: String) {
            self.process = process
            self.root = root
            self.caFile = caFile
        }

        /// `arguments` go after the listen and CA flags, e.g. `["--generate", "200"]`; `launcher`
        /// runs it through another command, e.g. `ip netns exec NAME`.
        static func start(arguments: [String] = [], launcher: [String] = []) async throws -> Simulator {
            let caFile = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-ca-\(UUID()).pem").path
            let command = launcher + [path("atsign_sim")]
            let out = Pipe()
            let process = try ChildProcess(
                command[0], command.dropFirst() + ["--listen", "127.0.0.1:0", "--ca-out", caFile] + arguments,
                stdout: .descriptor(out.fileHandleForWriting.fileDescriptor))
            try? out.fileHandleForWriting.close()
            let handle = out.fileHandleForReading
            let line = try await ProcessRunner.offPool {
                var buffer = Data()
                while !buffer.contains(UInt8(ascii: "\n")) {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    buffer.append(chunk)
                }
                return String(decoding: buffer, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            }
            guard line.hasPrefix("root=") else {
                process.terminate()
                throw CocoaError(.fileReadUnknown)
            }
            return Simulator(process: process, root: String(line.dropFirst(5)), caFile: caFile)
        }

        func stop() async {
            process.terminate()
            let process = self.process
            _ = try? await ProcessRunner.offPool { process.waitUntilExit() }
            try? FileManager.default.removeItem(atPath: caFile)
        }
    }
}
