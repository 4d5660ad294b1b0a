import AtStatus
import Testing

@testable import Exporter

@Suite struct FlagParserTests {
    @Test func acceptsBothValueForms() throws {
        let settings = try loadSettings(["--probe.timeout=5s", "--probe.interval", "1m30s", "--log.level", "debug"])
        #expect(settings.probeTimeout == .seconds(5))
        #expect(settings.probeInterval == .seconds(90))
        #expect(settings.logLevel == .debug)
    }

    @Test func rootMaxConnectionsSizesTheRootPool() throws {
        #expect(try loadSettings([]).rootMaxConnections == 256)
        #expect(try loadSettings(["--root.max-connections", "32"]).rootMaxConnections == 32)
    }

    @Test func booleansTakeNoSeparateValue() throws {
        #expect(try loadSettings(["--demo"]).demo)
        #expect(try !loadSettings(["--probe.info=false"]).probeInfo)
        #expect(try !loadSettings(["--no-probe.info"]).probeInfo)
        #expect(try loadSettings(["--probe.info=1"]).probeInfo)
        #expect(
            settingsError(["--demo", "false"]) == """
                unexpected argument "false": serve takes no arguments (to probe once, run: atsign_exporter check ATSIGN...)
                """)
        #expect(settingsError(["--demo=yes"]) == "invalid boolean \"yes\" for --demo: expected true or false")
        #expect(settingsError(["--no-demo=true"]) == "flag --no-demo takes no value")
    }

    @Test func repeatableFlagsReplaceTheDefault() throws {
        let settings = try loadSettings(["--web.listen-address", "127.0.0.1:0", "--web.listen-address=[::1]:9714"])
        #expect(settings.listenAddresses.map(\.description) == ["127.0.0.1:0", "[::1]:9714"])
    }

    @Test func doubleDashEndsTheFlags() throws {
        let settings = try loadSettings(["check", "--probe.timeout=1s", "--", "--odd", "@alice"])
        #expect(settings.atSigns.map(\.name) == ["@--odd", "@alice"])
    }

    @Test func subcommandMayFollowFlags() throws {
        let settings = try loadSettings(["--log.level=warn", "check", "@alice"])
        #expect(settings.command == .check && settings.logLevel == .warn)
        #expect(try loadSettings(["serve", "--demo"]).command == .serve)
    }

    @Test func unknownFlagSuggestsTheClosest() {
        #expect(settingsError(["--probe.timout=5s"]) == "unknown flag --probe.timout; did you mean --probe.timeout?")
        #expect(settingsError(["--timeout", "5s"]) == "unknown flag --timeout; did you mean --probe.timeout?")
        #expect(settingsError(["-log.level=debug"]) == "unknown flag -log.level; did you mean --log.level?")
        #expect(settingsError(["--frobnicate"]) == "unknown flag --frobnicate")
        #expect(
            settingsError(["--no-shard"])
                == "unknown flag --no-shard; only boolean flags have a --no- form, and --shard is not one")
    }

    @Test func missingValueIsAnError() {
        #expect(
            settingsError(["--probe.timeout"]) == "flag --probe.timeout needs a value, e.g. --probe.timeout=DURATION")
        #expect(
            settingsError(["--root.address", "--demo"])
                == "flag --root.address needs a value, e.g. --root.address=HOST:PORT")
    }

    @Test func singleFlagsMayNotRepeat() {
        #expect(settingsError(["--shard=0", "--shard=1"]) == "flag --shard is given 2 times; give it once")
    }

    @Test func flagsBelongToTheirSubcommand() {
        #expect(settingsError(["--output=json"]) == "flag --output does not apply to serve; it is a flag of check")
        #expect(
            settingsError(["check", "@a", "--shard=1"]) == "flag --shard does not apply to check; it is a flag of serve"
        )
    }

    @Test func argumentsAreOnlyForCheck() throws {
        #expect(settingsError(["chek", "@alice"]) == "unknown command \"chek\"; did you mean \"check\"?")
        #expect(settingsError(["check"]) == "check needs at least one atSign, e.g. atsign_exporter check @alice")
        #expect(settingsError(["check", "@a b"]) == "invalid atSign \"@a b\" in argument 1: it holds whitespace")
        #expect(try loadSettings(["check", "--demo"]).atSigns.isEmpty)
    }

    @Test(
        arguments: [
            (
                ["--probe.timeout=10x"],
                "invalid duration \"10x\" for --probe.timeout: unknown unit \"x\" (one of y, w, d, h, m, s, ms)"
            ),
            (["--probe.timeout=0s"], "invalid duration \"0s\" for --probe.timeout: it must be more than 0s"),
            (["--probe.concurrency=0"], "invalid number \"0\" for --probe.concurrency: it is out of range 1-100000"),
            (
                ["--root.max-connections=0"],
                "invalid number \"0\" for --root.max-connections: it is out of range 1-100000"
            ),
            (["--web.max-connections=many"], "invalid number \"many\" for --web.max-connections: it is not an integer"),
            (
                ["--log.level=verbose"],
                "invalid log level \"verbose\" for --log.level: expected one of debug, info, warn, error"
            ),
            (["--log.format=xml"], "invalid log format \"xml\" for --log.format: expected one of logfmt, json"),
            (["check", "@a", "--output=yaml"], "invalid output \"yaml\" for --output: expected one of text, json"),
            (["--atsign", "@bad:name"], "invalid atSign \"@bad:name\" for --atsign: it holds a forbidden ':'"),
            (["--atsign", ""], "invalid atSign \"\" for --atsign: the name after @ is empty"),
            (
                ["--web.telemetry-path=metrics"],
                "invalid telemetry path \"metrics\" for --web.telemetry-path: it must start with / and not be / (the landing page)"
            ),
            (
                ["--probe.allowed-domains=a_b.com"],
                "invalid domain \"a_b.com\" for --probe.allowed-domains: it holds a forbidden \"_\""
            ),
            (["--config.file="], "invalid file \"\" for --config.file: it is empty"),
        ] as [([String], String)])
    func badValuesNameTheFlag(arguments: [String], message: String) {
        #expect(settingsError(arguments) == message)
    }
}
