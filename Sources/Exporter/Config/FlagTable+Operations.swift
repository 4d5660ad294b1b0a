/// Flags of the Prometheus operations conventions: running behind a reverse proxy, systemd
/// socket activation and validating the configuration without serving (`--config.check`).
extension FlagTable {
    static let operations: [FlagDefinition] = [
        .scalar(
            "web.external-url", .text, "URL",
            "the URL users reach the exporter at (behind a reverse proxy); the landing page's links use its path",
            keyPath: \.externalURL,
            parse: { (text) throws(ValueProblemError) in try WebPaths.externalURL(text) }, show: { $0 ?? "" }),
        .scalar(
            "web.route-prefix", .text, "PATH",
            "where the endpoints are served, e.g. /atsign (default: the path of --web.external-url, else /)",
            keyPath: \.routePrefix,
            parse: { (text) throws(ValueProblemError) in try WebPaths.routePrefix(text) }, show: { $0 ?? "" }),
        .scalar(
            "web.systemd-socket", .boolean, "",
            "serve on the sockets systemd passes (socket activation) instead of --web.listen-address",
            keyPath: \.systemdSocket, parse: ValueParsers.boolean, show: { "\($0)" }),
        .scalar(
            "config.check", .boolean, "",
            "read and check every configuration file (flags, config, atSigns, web config and its TLS files), then exit: 0 when valid, 2 with the error",
            FlagSpec(configKey: .some(nil)), keyPath: \.configCheck, parse: ValueParsers.boolean,
            show: { "\($0)" }),
    ]
}
