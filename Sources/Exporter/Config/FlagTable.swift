import AtStatus
import WebServer

/// Every flag of `atsign_exporter` (INTERFACE.md, "Command line"), in help order.
enum FlagTable {
    static let both: Set<Subcommand> = [.serve, .check]

    static let all: [FlagDefinition] = web + operations + sources + probe + metrics + process

    static func named(_ name: String) -> FlagDefinition? { all.first { $0.name == name } }

    static func forConfigKey(_ key: String) -> FlagDefinition? { all.first { $0.configKey == key } }

    private static let web: [FlagDefinition] = [
        .list(
            "web.listen-address", "ADDRESS",
            "where the HTTP server listens: host:port, :port or [::1]:port (repeatable)",
            keyPath: \.listenAddresses,
            parse: { (text) throws(ValueProblemError) in try ListenAddress.parsingFlag(text) },
            show: \.description),
        .scalar(
            "web.telemetry-path", .text, "PATH", "path of the exposition", keyPath: \.telemetryPath,
            parse: ValueParsers.telemetryPath, show: { $0 }),
        .scalar(
            "web.config.file", .text, "FILE",
            "TLS and basic auth for the HTTP server, exporter-toolkit format (JSON or its YAML subset)",
            keyPath: \.webConfigFile,
            parse: { (text) throws(ValueProblemError) in try ValueParsers.path(text, what: "file") },
            show: { $0 ?? "" }),
        .scalar(
            "web.max-connections", .integer, "N", "open HTTP connections at most; the next is refused with 503",
            keyPath: \.maxConnections,
            parse: { (text) throws(ValueProblemError) in try ValueParsers.integer(text, in: 1...1_000_000) },
            show: { "\($0)" }),
        .scalar(
            "web.max-fresh-probes-per-second", .integer, "N",
            "fresh probes /api/v1/status may start per second (/probe has --probe.concurrency slots)",
            keyPath: \.maxFreshProbesPerSecond,
            parse: { (text) throws(ValueProblemError) in try ValueParsers.integer(text, in: 1...1_000_000) },
            show: { "\($0)" }),
    ]

    private static let sources: [FlagDefinition] = [
        .scalar(
            "config.file", .text, "FILE", "JSON file holding any of these settings (keys named like the flags)",
            FlagSpec(configKey: .some(nil)), keyPath: \.configFile,
            parse: { (text) throws(ValueProblemError) in try ValueParsers.path(text, what: "file") }, show: { $0 ?? "" }
        ),
        .list(
            "atsign", "ATSIGN", "an atSign to probe in the background (repeatable; config key \"atsigns\")",
            FlagSpec(commands: both, configKey: "atsigns", reloadable: true), keyPath: \.atSigns,
            parse: ValueParsers.atSign, show: \.name),
        .scalar(
            "atsigns.file", .text, "FILE", "a file of atSigns, one a line, # comments",
            FlagSpec(commands: both, reloadable: true), keyPath: \.atSignsFile,
            parse: { (text) throws(ValueProblemError) in try ValueParsers.path(text, what: "file") }, show: { $0 ?? "" }
        ),
        .scalar(
            "root.address", .text, "HOST:PORT", "the atRoot, or proxy:host:port", FlagSpec(commands: both),
            keyPath: \.rootAddress, parse: { (text) throws(ValueProblemError) in try RootAddress.parsingFlag(text) },
            show: \.description),
        .scalar(
            "root.max-connections", .integer, "N",
            "root connections open at once at most; opened as lookups need them. 256 keeps 10,000 atSigns a 60s "
                + "round correct with a root 400ms away: their lookups start within 30s, 333 a second, ~134 busy",
            FlagSpec(commands: both), keyPath: \.rootMaxConnections,
            parse: { (text) throws(ValueProblemError) in try ValueParsers.integer(text, in: 1...100_000) },
            show: { "\($0)" }),
        .scalar(
            "tls.ca-file", .text, "FILE", "extra trusted CA certificates (PEM) beside the system store",
            FlagSpec(commands: both), keyPath: \.caFile,
            parse: { (text) throws(ValueProblemError) in try ValueParsers.path(text, what: "file") }, show: { $0 ?? "" }
        ),
    ]

    private static let probe: [FlagDefinition] = [
        .scalar(
            "probe.interval", .text, "DURATION", "how often each configured atSign is probed",
            FlagSpec(reloadable: true), keyPath: \.probeInterval,
            parse: { (text) throws(ValueProblemError) in try ValueParsers.duration(text) },
            show: \.prometheusDescription),
        .scalar(
            "probe.timeout", .text, "DURATION", "deadline of one probe, root and atServer together",
            FlagSpec(commands: both, reloadable: true), keyPath: \.probeTimeout,
            parse: { (text) throws(ValueProblemError) in try ValueParsers.duration(text) },
            show: \.prometheusDescription),
        .scalar(
            "probe.concurrency", .integer, "N", "probes in flight at most", FlagSpec(commands: both),
            keyPath: \.probeConcurrency,
            parse: { (text) throws(ValueProblemError) in try ValueParsers.integer(text, in: 1...100_000) },
            show: { "\($0)" }),
        .scalar(
            "probe.info", .boolean, "", "also ask the atServer info:brief for version and uptime",
            FlagSpec(commands: both, reloadable: true), keyPath: \.probeInfo, parse: ValueParsers.boolean,
            show: { "\($0)" }),
        .list(
            "probe.allowed-domains", "DOMAIN",
            "atServer hosts a probe may connect to: these domains and their subdomains (repeatable; none: any host)",
            FlagSpec(commands: both), keyPath: \.allowedDomains, parse: ValueParsers.domain, show: { $0 }),
    ]

    /// `--metrics.detail`, then one `--collector.NAME` per collector, node_exporter style.
    private static let metrics: [FlagDefinition] =
        [
            .scalar(
                "metrics.detail", .boolean, "", "turn on every per-atSign collector below (the full profile)",
                keyPath: \.metricsDetail, parse: ValueParsers.boolean, show: { "\($0)" })
        ]
        + MetricCollector.allCases.map { collector in
            .scalar(
                "collector.\(collector.rawValue)", .boolean, "", collector.summary,
                keyPath: \.[collector: collector],
                parse: { (text) throws(ValueProblemError) in try ValueParsers.boolean(text) },
                show: { "\($0 ?? collector.isDefault)" })
        }

    private static let process: [FlagDefinition] = [
        .scalar(
            "shard", .integer, "N", "probe only the atSigns whose stable hash falls in this shard (0-based)",
            keyPath: \.shard,
            parse: { (text) throws(ValueProblemError) in try ValueParsers.integer(text, in: 0...Int(Int32.max)) },
            show: { "\($0)" }),
        .scalar(
            "total-shards", .integer, "N", "how many shards share the atSigns", keyPath: \.totalShards,
            parse: { (text) throws(ValueProblemError) in try ValueParsers.integer(text, in: 1...Int(Int32.max)) },
            show: { "\($0)" }),
        .scalar(
            "log.level", .text, "LEVEL", "debug, info, warn or error", FlagSpec(commands: both, reloadable: true),
            keyPath: \.logLevel,
            parse: { (text) throws(ValueProblemError) in
                try ValueParsers.choice(text, of: LogLevel.self, what: "log level")
            },
            show: \.rawValue),
        .scalar(
            "log.format", .text, "FORMAT", "logfmt or json", FlagSpec(commands: both), keyPath: \.logFormat,
            parse: { (text) throws(ValueProblemError) in
                try ValueParsers.choice(text, of: LogFormat.self, what: "log format")
            },
            show: \.rawValue),
        .scalar(
            "demo", .boolean, "",
            "start an in-process simulated root with atSigns in every state and probe them: works with no network",
            FlagSpec(commands: both), keyPath: \.demo, parse: ValueParsers.boolean, show: { "\($0)" }),
        .scalar(
            "output", .text, "FORMAT", "how check prints: text (a table) or json (one object a line)",
            FlagSpec(commands: [.check], configKey: .some(nil)), keyPath: \.checkOutput,
            parse: { (text) throws(ValueProblemError) in
                try ValueParsers.choice(text, of: CheckOutput.self, what: "output")
            },
            show: \.rawValue),
    ]
}
