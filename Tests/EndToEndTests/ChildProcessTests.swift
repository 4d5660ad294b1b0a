import Foundation
import Glibc
import TestSupport
import Testing

/// `ChildProcess`, the spawner every test that runs a binary goes through.
@Suite struct ChildProcessTests {
    /// Runs `/bin/sh -c script` with its stdout in a pipe; returns what it printed and its status.
    private func shell(_ script: String) async throws -> (output: String, status: Int32) {
        let out = Pipe()
        let child = try ChildProcess(
            "/bin/sh", ["-c", script], stdout: .descriptor(out.fileHandleForWriting.fileDescriptor))
        try out.fileHandleForWriting.close()
        let handle = out.fileHandleForReading
        let output = try await ProcessRunner.offPool {
            let data = handle.readDataToEndOfFile()
            child.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        return (output, child.terminationStatus)
    }

    /// A descriptor of ours without close-on-exec (a pipe of another test, a socket) must not
    /// leak into the child, where it would keep that pipe from ever ending.
    @Test func theChildGetsOnlyItsThreeStandardStreams() async throws {
        var inherited: [Int32] = [-1, -1]
        #expect(pipe(&inherited) == 0)
        defer { inherited.forEach { close($0) } }
        #expect(inherited.allSatisfy { $0 > 3 })
        let (output, status) = try await shell("ls /proc/self/fd")
        #expect(status == 0)
        // ls holds one more, 3: the directory it lists.
        let descriptors = output.split(separator: "\n").compactMap { Int32($0) }
        #expect(descriptors.allSatisfy { $0 <= 3 }, "\(descriptors)")
    }

    /// Spawned from a pool thread, which blocks signals: the child must still take SIGTERM.
    @Test func exitStatusesAndSignalsAreReported() async throws {
        #expect(try await shell("exit 3").status == 3)
        let child = try ChildProcess("/bin/sleep", ["60"])
        #expect(child.isRunning)
        child.terminate()
        try await ProcessRunner.offPool { child.waitUntilExit() }
        #expect(!child.isRunning)
        #expect(child.terminationStatus == 128 + SIGTERM)
    }
}
