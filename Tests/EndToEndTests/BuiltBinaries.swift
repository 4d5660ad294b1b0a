import Foundation

/// Runs the executables `swift build` made, the way a user would.
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

    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `tool` to completion (bounded by `timeout`, then killed).
    static func run(_ tool: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> Outcome {
        let process = Process()
        process.executableURL = directory.appendingPathComponent(tool)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let killer = DispatchWorkItem { process.terminate() }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// A running `atsign_sim` with its default fleet; `root` is what it printed.
    final class Simulator {
        let process = Process()
        let root: String
        let caFile: String

        init() throws {
            caFile = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-ca-\(UUID()).pem").path
            process.executableURL = directory.appendingPathComponent("atsign_sim")
            process.arguments = ["--listen", "127.0.0.1:0", "--ca-out", caFile]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            var buffer = Data()
            let handle = out.fileHandleForReading
            while !buffer.contains(UInt8(ascii: "\n")) {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
            }
            let line = String(decoding: buffer, as: UTF8.self).split(separator: "\n").first ?? ""
            guard line.hasPrefix("root=") else { throw CocoaError(.fileReadUnknown) }
            root = String(line.dropFirst(5))
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
            try? FileManager.default.removeItem(atPath: caFile)
        }
    }
}
