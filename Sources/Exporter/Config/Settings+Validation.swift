import WebServer

extension Settings {
    /// Rules that involve more than one setting, checked after all sources are applied.
    ///
    /// `--probe.interval` shorter than `--probe.timeout` is an error, not a warning: a round could
    /// outlast the interval and rounds would pile up, and nobody wants that on purpose.
    func validate() throws(ConfigError) {
        guard shard < totalShards else {
            throw ConfigError(
                "--shard \(shard) is out of range for --total-shards \(totalShards): "
                    + "shards are numbered 0 to \(totalShards - 1)")
        }
        switch command {
        case .serve:
            guard probeInterval >= probeTimeout else {
                throw ConfigError(
                    "--probe.interval (\(probeInterval.prometheusDescription)) is shorter than --probe.timeout "
                        + "(\(probeTimeout.prometheusDescription)): a probe must be able to end before the next starts")
            }
            var seen: Set<ListenAddress> = []
            for address in listenAddresses where !seen.insert(address).inserted {
                throw ConfigError("--web.listen-address \"\(address)\" is given twice")
            }
        case .check:
            guard !atSigns.isEmpty || demo else {
                throw ConfigError("check needs at least one atSign, e.g. atsign_exporter check @alice")
            }
        }
    }
}
