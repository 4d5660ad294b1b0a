import AtStatus
import Basics
import Synchronization
import Testing

@testable import Exporter

/// `serve` and `check` start the same way (`ProbingSetup`), exit by one rule (`ExitStatus`) and
/// probe through the same `Prober`.
@Suite struct CommandSetupTests {
    final class FakeDemo: DemoNetwork {
        let rootPort = 6464
        let atSigns = [try! AtSign("@zed"), try! AtSign("@amy")]
        /// Any valid CA will do: the system's (ca-certificates is a CI package).
        let caPEM = (try? TextFile.read("/etc/ssl/certs/ca-certificates.crt")) ?? ""
        let stopped = Mutex(false)
        func stop() async { stopped.withLock { $0 = true } }
    }

    struct StartFailed: Error {}

    private func settings(_ command: Subcommand) -> Settings {
        var settings = Settings()
        settings.command = command
        settings.demo = true
        return settings
    }

    @Test func demoWithoutANetworkIsBadUsage() async {
        #expect(await ExporterMain.run(["check", "--demo"]) == .usage)
    }

    @Test(arguments: [Subcommand.serve, .check])
    func demoThatCannotStartFailsBothCommandsAlike(command: Subcommand) async {
        do {
            _ = try await ProbingSetup.start(settings(command), demoNetwork: { throw StartFailed() })
            Issue.record("started without a demo network")
        } catch {
            #expect(error.status == .failure)
            #expect(error.message.hasPrefix("cannot start the demo simulator"))
        }
    }

    @Test func demoPointsTheSettingsAtItsNetwork() async throws {
        let demo = FakeDemo()
        let setup = try await ProbingSetup.start(settings(.serve), demoNetwork: { demo })
        #expect(setup.settings.rootAddress == .directory(ServerAddress(host: "127.0.0.1", port: 6464)))
        #expect(setup.settings.atSigns.map(\.name) == ["@amy", "@zed"])
        #expect(setup.settings.probeInterval == .seconds(5))
        await setup.stop()
        #expect(demo.stopped.withLock { $0 })
    }

    @Test func checkCutsOffAProbeThatDoesNotReturn() async throws {
        let alice = try AtSign("@alice")
        let store = SnapshotStore(rootAddress: "root:64")
        let schedule = Prober.Schedule(interval: .seconds(60), timeout: .milliseconds(50), concurrency: 1)
        let prober = Prober(checker: FakeChecker([alice: .hang]), store: store, schedule: schedule)
        let results = await CheckCommand.probeAll([alice], prober: prober, concurrency: 1)
        #expect(results.map(\.failure?.reason) == [.timeout])
    }
}
