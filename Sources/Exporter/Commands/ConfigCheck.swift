import NetIO
import WebServer

/// `--config.check`: everything `serve` would read at startup, read and checked without
/// listening or probing, for CI pipelines and systemd's `ExecStartPre`. The flags, the config
/// file and the atSigns file were checked by `SettingsLoader` already; this adds the web config
/// (its TLS files loaded into a context, its users' hashes) and the CA file.
enum ConfigCheck {
    /// 0 and a summary on stdout when valid; 2 and the error on stderr when not.
    static func run(_ settings: Settings) -> ExitStatus {
        var notes: [String] = []
        do {
            if let path = settings.webConfigFile {
                let web = try WebConfig.load(path: path)
                _ = try web.makeTLSContext()
                notes += web.warnings.map { "note: \(path): \($0)" }
            }
            if settings.caFile != nil {
                _ = try TLSContext.client(caFile: settings.caFile, caPEM: nil)
            }
        } catch let error as WebConfigError {
            printError("atsign_exporter: --config.check: \(error)")
            return .usage
        } catch {
            printError("atsign_exporter: --config.check: --tls.ca-file: \(error)")
            return .usage
        }
        for note in notes { print(note) }
        print(
            "atsign_exporter: configuration is valid: \(settings.atSigns.count) atSigns, "
                + "\(settings.atSignsInShard.count) in shard \(settings.shard) of \(settings.totalShards)")
        return .success
    }
}
