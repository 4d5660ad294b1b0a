import AtSimulator
import Foundation
import Testing

@Suite struct SimulatorOptionsTests {
    @Test func defaults() throws {
        let options = try SimulatorOptions.parse([])
        #expect(options == SimulatorOptions())
        #expect(options.listenHost == "127.0.0.1" && options.listenPort == 0)
        #expect(options.rateLimitDelay == .seconds(3))
        #expect(try options.fleet() == .demo)
    }

    @Test func bothFlagStyles() throws {
        let options = try SimulatorOptions.parse([
            "--listen=[::1]:9064", "--ca-out", "/tmp/ca.pem", "--generate", "20", "--mix=activated=3,hung=1",
            "--root-mode", "garbage", "--rate-limit-delay=250ms",
        ])
        #expect(options.listenHost == "::1" && options.listenPort == 9064)
        #expect(options.caOut == "/tmp/ca.pem")
        #expect(options.rateLimitDelay == .milliseconds(250))
        let fleet = try options.fleet()
        #expect(fleet.rootMode == .garbage)
        #expect(fleet.entries.count == 20)
        #expect(fleet.entries.filter { $0.scenario == .hung }.count == 5)
    }

    @Test func helpWins() throws {
        #expect(try SimulatorOptions.parse(["--help"]).help)
        #expect(SimulatorOptions.usage.contains("--generate N"))
    }

    @Test func rootModeOverridesTheScenarioFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID()).json").path
        try #"{"rootMode":"hung","atSigns":{"@a":"ready"}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try SimulatorOptions.parse(["--scenarios", path]).fleet().rootMode == .hung)
        #expect(try SimulatorOptions.parse(["--scenarios", path, "--root-mode", "down"]).fleet().rootMode == .down)
    }

    @Test(arguments: [
        (["--bogus"], "unknown flag --bogus (see --help)"),
        (["extra"], "unexpected argument \"extra\""),
        (["--listen"], "--listen needs a value"),
        (["--listen", "127.0.0.1"], "--listen: \"127.0.0.1\" is not HOST:PORT (e.g. 127.0.0.1:0): missing \":port\""),
        (
            ["--listen", "127.0.0.1:70000"],
            "--listen: \"127.0.0.1:70000\" is not HOST:PORT (e.g. 127.0.0.1:0): port 70000 is out of range 0-65535"
        ),
        (["--generate", "0"], "--generate: \"0\" is not a count from 1 to 1000000"),
        (["--mix", "hung=1"], "--mix needs --generate"),
        (["--generate", "1", "--scenarios", "f"], "--scenarios and --generate exclude each other"),
        (
            ["--root-mode", "up"],
            "--root-mode: unknown root mode \"up\" (known: normal, down, hung, garbage, stopping, bad-greeting)"
        ),
        (["--rate-limit-delay", "soon"], "--rate-limit-delay: \"soon\" is not a duration such as 500ms or 3s"),
    ])
    func badFlagsAreNamed(arguments: [String], message: String) {
        #expect(throws: UsageError(message)) { try SimulatorOptions.parse(arguments) }
    }

    @Test func badMixSurfacesFromFleet() throws {
        let options = try SimulatorOptions.parse(["--generate", "5", "--mix", "dead=1"])
        #expect(throws: MixError.scenario(.unknownScenario("dead"))) { try options.fleet() }
    }

    @Test func commandExitsTwoOnBadFlags() async {
        #expect(await SimulatorCommand.run(arguments: ["--bogus"]) == 2)
        #expect(await SimulatorCommand.run(arguments: ["--scenarios", "/nonexistent.json"]) == 2)
    }
}
