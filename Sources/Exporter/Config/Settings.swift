import AtStatus
import WebServer

/// The subcommands of `atsign_exporter` (INTERFACE.md, "Command line").
public enum Subcommand: String, Sendable, CaseIterable {
    case serve, check
}

/// How `check` prints its results.
public enum CheckOutput: String, Sendable, CaseIterable {
    case text, json
}

/// Everything the exporter is configured with. The initial values are the defaults of
/// INTERFACE.md; `SettingsLoader` applies the config file, then the flags, over them.
public struct Settings: Sendable, Equatable {
    public var command: Subcommand = .serve
    public var listenAddresses: [ListenAddress] = [ListenAddress(host: "", port: 9713)]
    public var telemetryPath = "/metrics"
    public var webConfigFile: String?
    public var maxConnections = 512
    public var maxFreshProbesPerSecond = 10
    /// `--web.external-url`, without a trailing slash.
    public var externalURL: String?
    /// `--web.route-prefix` as given (without a trailing slash); see `effectiveRoutePrefix`.
    public var routePrefix: String?
    public var systemdSocket = false
    /// `--config.check`: check the configuration and exit instead of serving.
    public var configCheck = false
    public var configFile: String?
    /// Every atSign from `--atsign`, the config file, `--atsigns.file` and (for `check`) the
    /// arguments: normalised, sorted, without duplicates, and not yet filtered by shard.
    public var atSigns: [AtSign] = []
    public var atSignsFile: String?
    public var rootAddress = RootAddress.default
    public var rootMaxConnections = RootPoolSettings.defaultMaxConnections
    public var caFile: String?
    public var probeInterval: Duration = .seconds(60)
    public var probeTimeout: Duration = .seconds(10)
    public var probeConcurrency = 256
    public var probeInfo = true
    /// atServer host suffixes a probe may connect to; empty allows every host.
    public var allowedDomains: [String] = []
    /// `--metrics.detail`: every per-atSign collector on (see `collectors`).
    public var metricsDetail = false
    /// `--collector.NAME` / `--no-collector.NAME` as given; a collector not named keeps its default.
    public var collectorChoices: [MetricCollector: Bool] = [:]
    public var shard = 0
    public var totalShards = 1
    public var logLevel: LogLevel = .info
    public var logFormat: LogFormat = .logfmt
    public var demo = false
    public var checkOutput: CheckOutput = .text

    public init() {}

    /// The atSigns this process probes in the background: those of its shard.
    public var atSignsInShard: [AtSign] {
        atSigns.filter { Shard.owns($0, shard: shard, totalShards: totalShards) }
    }
}

extension Settings {
    /// Flags whose value differs in `newer` but that a reload cannot apply: the caller logs them
    /// as needing a restart.
    public func changesNeedingRestart(in newer: Settings) -> [String] {
        FlagTable.all.filter { !$0.reloadable && $0.current(self) != $0.current(newer) }.map { "--" + $0.name }
    }
}
