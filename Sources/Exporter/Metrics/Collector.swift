import AtStatus
import Exposition

/// Turns a `Snapshot` into metric families. Pure: the same snapshot gives the same bytes, which
/// is what the golden tests rely on.
struct Collector: Sendable {
    var shard: Int = 0
    var totalShards: Int = 1
    var buildLabels = BuildInfo.labels

    static let lastRound = "Value from the last probe round."

    /// The per-atSign collectors that run (`--collector.NAME`, `--metrics.detail`).
    var collectors = MetricCollector.defaults

    /// Everything that changes only with the snapshot: per-atSign, fleet, root and exporter families.
    func families(_ snapshot: Snapshot) -> [MetricFamily] {
        var families = atSignFamilies(snapshot)
        families += rootFamilies(snapshot.root)
        families += exporterFamilies(snapshot)
        return families
    }

    /// What a scrape renders afresh after the snapshot's families: serving figures and process.
    static func liveFamilies(serving: ServingStats?, process: ProcessMetrics?) -> [MetricFamily] {
        (serving?.families ?? []) + (process.map(processFamilies) ?? [])
    }

    private func atSignFamilies(_ snapshot: Snapshot) -> [MetricFamily] {
        var set = AtSignFamilies(collectors: collectors, capacity: snapshot.targets.count)
        var fleet = FleetFamilies()
        for atSign in snapshot.targets {
            guard let record = snapshot.records[atSign], let result = record.result else { continue }
            set.add(record: record, result: result)
            fleet.add(result)
        }
        return set.all + fleet.all
    }

    func rootFamilies(_ root: RootHealth) -> [MetricFamily] {
        let labels = try! LabelSet(["root": root.address])
        var up = Self.family("atsign_root_up", "1 when the last contact with the atRoot succeeded.")
        var lookup = Self.family("atsign_root_lookup_duration_seconds", "Duration of the last atRoot lookup.")
        var expiry = Self.family(
            "atsign_root_cert_expiry_timestamp_seconds", "notAfter of the atRoot's TLS certificate, Unix seconds.")
        if let isUp = root.up { up.add(labels, isUp ? 1 : 0) }
        if let seconds = root.lookupSeconds { lookup.add(labels, seconds) }
        if let notAfter = root.certificateNotAfter { expiry.add(labels, notAfter) }
        return [up, lookup, expiry]
    }

    func exporterFamilies(_ snapshot: Snapshot) -> [MetricFamily] {
        var histogram = try! MetricFamily(
            name: "atsign_exporter_probe_duration_seconds", help: "Duration of every probe, all atSigns together.",
            type: .histogram)
        for (success, labels) in StateLabels.shared.results {
            histogram.add(labels, histogram: snapshot.probeDurations[success] ?? .probeDurations)
        }
        var round = Self.family("atsign_exporter_probe_round_duration_seconds", "How long the last full round took.")
        if let seconds = snapshot.lastRoundSeconds { round.add(.empty, seconds) }
        var rounds = Self.family("atsign_exporter_probe_rounds_total", "Probe rounds completed.", type: .counter)
        rounds.add(.empty, Double(snapshot.roundsCompleted))
        var overruns = Self.family(
            "atsign_exporter_probe_rounds_overrun_total",
            "Probe rounds that took longer than --probe.interval, so the next one started late.", type: .counter)
        overruns.add(.empty, Double(snapshot.roundsOverrun))
        var build = try! MetricFamily(
            name: "atsign_exporter_build_info", help: "Build facts; the value is always 1.", type: .gauge)
        build.add(try! LabelSet(pairs: buildLabels.pairs), 1)
        return [
            histogram, round, rounds, overruns, build,
            Self.single("atsign_exporter_atsigns", "atSigns configured in this shard.", Double(snapshot.targets.count)),
            Self.single("atsign_exporter_shard_ordinal", "This exporter's shard (--shard).", Double(shard)),
            Self.single("atsign_exporter_total_shards", "Shards the atSign list is split into.", Double(totalShards)),
            Self.single(
                "atsign_exporter_config_last_reload_successful", "1 when the last configuration reload succeeded.",
                snapshot.lastReloadSuccessful ? 1 : 0),
            Self.single(
                "atsign_exporter_config_last_reload_success_timestamp_seconds",
                "When the configuration was last loaded successfully, Unix seconds.", snapshot.lastReloadTimestamp),
        ]
    }

    static func processFamilies(_ process: ProcessMetrics) -> [MetricFamily] {
        var cpu = try! MetricFamily(
            name: "process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.", type: .counter)
        cpu.add(.empty, process.cpuSeconds)
        return [
            cpu,
            single("process_resident_memory_bytes", "Resident memory size in bytes.", process.residentBytes),
            single("process_virtual_memory_bytes", "Virtual memory size in bytes.", process.virtualBytes),
            single("process_open_fds", "Number of open file descriptors.", process.openFDs),
            single("process_max_fds", "Maximum number of open file descriptors.", process.maxFDs),
            single(
                "process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                process.startTimeSeconds),
            single("process_threads", "Number of OS threads in the process.", process.threads),
        ]
    }

    static func family(_ name: String, _ help: String, type: MetricType = .gauge) -> MetricFamily {
        try! MetricFamily(name: name, help: help, type: type)
    }

    static func single(_ name: String, _ help: String, _ value: Double) -> MetricFamily {
        var family = family(name, help)
        family.add(.empty, value)
        return family
    }
}
