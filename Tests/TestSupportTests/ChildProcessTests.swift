import Glibc
import TestSupport
import Testing

/// The one way tests run child processes: exit codes, signals, piped output, the timeout kill.
@Suite(.timeLimit(.minutes(1))) struct ChildProcessTests {
    @Test func capturesBothStreamsAndTheExitCode() async throws {
        let run = try await ProcessRunner.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(run.status == 3 && run.stdout == "out\n" && run.stderr == "err\n")
    }

    @Test func aSignalledChildReports128PlusTheSignal() async throws {
        let child = try ChildProcess(["/bin/sleep", "60"])
        #expect(child.isRunning)
        child.terminate()
        #expect(await child.waitForExit() == 128 + SIGTERM)
        #expect(!child.isRunning && child.exitStatus == 128 + SIGTERM)
    }

    @Test func aChildPastItsTimeoutIsKilledAndSaysSo() async throws {
        await #expect(throws: ProcessRunner.Timeout.self) {
            _ = try await ProcessRunner.run("/bin/sleep", ["60"], timeout: .milliseconds(200))
        }
    }

    @Test func readsTheFirstLineWhileTheChildRuns() async throws {
        let child = try ChildProcess(["/bin/sh", "-c", "echo root=127.0.0.1:64; exec sleep 60"], stdout: .pipe)
        #expect(try await child.readLine(1) == "root=127.0.0.1:64")
        #expect(child.isRunning)
        child.terminate()
        await child.waitForExit()
    }

    @Test func aMissingExecutableIsAnErrorThatNamesIt() {
        #expect {
            _ = try ChildProcess(["/nonexistent/tool"])
        } throws: { error in
            "\(error)".contains("spawn /nonexistent/tool failed")
        }
    }
}
