import AtStatus
import Basics
import Foundation
import Synchronization
import Testing
import WebServer

@testable import Exporter

/// Loads settings with files served from memory, as the loader's seam allows.
func memoryLoader(files: [String: String]) -> SettingsLoader {
    SettingsLoader { path in
        guard let text = files[path] else { throw FileReadError(path: path, reason: "No such file or directory") }
        return text
    }
}

func loadSettings(_ arguments: [String], files: [String: String] = [:]) throws -> Settings {
    try memoryLoader(files: files).load(arguments: arguments)
}

/// The message of the ConfigError the arguments cause, or nil when they load.
func settingsError(_ arguments: [String], files: [String: String] = [:]) -> String? {
    do {
        _ = try memoryLoader(files: files).load(arguments: arguments)
        return nil
    } catch {
        return error.message
    }
}

func parsedAtSigns(_ names: String...) throws -> [AtSign] { try names.map { try AtSign($0) } }

@Suite struct ConfigLoaderTests {
    @Test func defaultsMatchTheInterface() throws {
        let settings = try loadSettings([])
        #expect(settings.command == .serve)
        #expect(settings.listenAddresses.map(\.description) == [":9713"])
        #expect(settings.telemetryPath == "/metrics")
        #expect(settings.webConfigFile == nil && settings.configFile == nil && settings.caFile == nil)
        #expect(settings.maxConnections == 512 && settings.maxFreshProbesPerSecond == 10)
        #expect(settings.atSigns.isEmpty && settings.atSignsFile == nil)
        #expect(settings.rootAddress == .directory(ServerAddress(host: "root.atsign.org", port: 64)))
        #expect(settings.probeInterval == .seconds(60) && settings.probeTimeout == .seconds(10))
        #expect(settings.probeConcurrency == 256 && settings.probeInfo)
        #expect(settings.allowedDomains.isEmpty)
        #expect(settings.shard == 0 && settings.totalShards == 1)
        #expect(settings.logLevel == .info && settings.logFormat == .logfmt && !settings.demo)
        #expect(settings == Settings())
    }

    @Test func configFileSetsAnySetting() throws {
        let json = """
            {"root.address": "proxy:127.0.0.1:6464", "probe.interval": "30s", "atsigns": ["@Alice", "bob"],
             "probe.info": false, "probe.concurrency": 8, "web.listen-address": [":9000", "[::1]:9001"],
             "log.format": "json", "probe.allowed-domains": ["*.Atsign.wtf"]}
            """
        let settings = try loadSettings(["--config.file", "c.json"], files: ["c.json": json])
        #expect(settings.configFile == "c.json")
        #expect(settings.rootAddress == .proxy(ServerAddress(host: "127.0.0.1", port: 6464)))
        #expect(settings.probeInterval == .seconds(30))
        #expect(settings.atSigns == (try parsedAtSigns("@alice", "@bob")))
        #expect(!settings.probeInfo && settings.probeConcurrency == 8 && settings.logFormat == .json)
        #expect(
            settings.listenAddresses == [ListenAddress(host: "", port: 9000), ListenAddress(host: "::1", port: 9001)])
        #expect(settings.allowedDomains == ["atsign.wtf"])
    }

    @Test func flagsWinOverTheConfigFileWhichWinsOverDefaults() throws {
        let json = #"{"probe.interval": "30s", "probe.timeout": "5s", "atsigns": ["@alice"]}"#
        let settings = try loadSettings(
            ["--config.file=c.json", "--probe.timeout=20s", "--atsign", "@bob"], files: ["c.json": json])
        #expect(settings.probeInterval == .seconds(30))
        #expect(settings.probeTimeout == .seconds(20))
        #expect(settings.atSigns == (try parsedAtSigns("@bob")))
        #expect(settings.probeConcurrency == 256)
    }

    @Test func atSignsCombineFlagsFileAndCollapseDuplicates() throws {
        let list = "# fleet\n@Carol\n\n  dave   # trailing comment\n@alice\n"
        let settings = try loadSettings(
            ["--atsign", "@Alice", "--atsign=ALICE", "--atsigns.file", "list.txt"], files: ["list.txt": list])
        #expect(settings.atSigns == (try parsedAtSigns("@alice", "@carol", "@dave")))
        #expect(settings.atSignsFile == "list.txt")
    }

    @Test func checkTakesAtSignsAsArguments() throws {
        let settings = try loadSettings(["check", "@Bob", "alice", "--output", "json", "--probe.timeout=2s"])
        #expect(settings.command == .check)
        #expect(settings.atSigns == (try parsedAtSigns("@alice", "@bob")))
        #expect(settings.checkOutput == .json)
        #expect(settings.probeTimeout == .seconds(2))
    }

    @Test func reloadReadsTheFilesAgain() throws {
        let files = Mutex(["list.txt": "@alice\n"])
        let loader = SettingsLoader { path in files.withLock { $0[path] ?? "" } }
        let arguments = ["--atsigns.file", "list.txt"]
        #expect(try loader.load(arguments: arguments).atSigns == (try parsedAtSigns("@alice")))
        files.withLock { $0["list.txt"] = "@alice\n@bob\n" }
        #expect(try loader.load(arguments: arguments).atSigns == (try parsedAtSigns("@alice", "@bob")))
    }

    @Test func reportsChangesThatNeedARestart() throws {
        let before = try loadSettings(["--probe.interval=1m"])
        let after = try loadSettings(["--probe.interval=2m", "--web.max-connections=10", "--atsign=@alice"])
        #expect(before.changesNeedingRestart(in: after) == ["--web.max-connections"])
    }

    @Test func readsARealFileFromDisk() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let list = directory.appendingPathComponent("atsigns.txt").path
        let config = directory.appendingPathComponent("config.json").path
        try "@alice\n@bob # two\n".write(toFile: list, atomically: true, encoding: .utf8)
        try #"{"atsigns.file": "\#(list)", "shard": 1, "total-shards": 2}"#.write(
            toFile: config, atomically: true, encoding: .utf8)
        let settings = try SettingsLoader().load(arguments: ["--config.file", config])
        #expect(settings.atSigns == (try parsedAtSigns("@alice", "@bob")))
        #expect(settings.atSignsInShard == (try parsedAtSigns("@alice")))
        let missing = directory.appendingPathComponent("missing.json").path
        #expect(throws: ConfigError("cannot read \(missing) (--config.file): No such file or directory")) {
            try SettingsLoader().load(arguments: ["--config.file", missing])
        }
    }

    @Test func missingFilesAreNamed() {
        #expect(
            settingsError(["--atsigns.file", "gone.txt"])
                == "cannot read gone.txt (--atsigns.file): No such file or directory")
    }

    @Test func helpAndVersionAreNotSettings() throws {
        let loader = SettingsLoader()
        #expect(try loader.invocation(arguments: ["--version"]) == .version)
        #expect(try loader.invocation(arguments: ["check", "-h"]) == .help(HelpText.text(for: .check)))
        #expect(throws: ConfigError("--help and --version do not describe settings to load")) {
            try loader.load(arguments: ["--help"])
        }
    }
}
