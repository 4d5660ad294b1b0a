/// `--help`, generated from the flag table so it can never miss a flag or show a stale default.
public enum HelpText {
    public static func text(for subcommand: Subcommand) -> String {
        var lines = [
            "usage: atsign_exporter [serve] [flags]          run the exporter (the default)",
            "       atsign_exporter check ATSIGN... [flags]  probe once, print, exit (0: all activated)",
            "       atsign_exporter --version | --help",
            "",
            "Flags of \(subcommand.rawValue):",
        ]
        let defaults = Settings()
        for definition in FlagTable.all where definition.commands.contains(subcommand) {
            let value = definition.valueName.isEmpty ? "" : "=\(definition.valueName)"
            lines.append("  --\(definition.name)\(value)")
            let shown = definition.current(defaults)
            lines.append("        \(definition.help) (default: \(shown.isEmpty ? "none" : shown))")
        }
        lines += [
            "  -h, --help",
            "        show this help and exit",
            "  --version",
            "        show the version and exit",
            "",
            "Durations are Prometheus style: 500ms, 10s, 1m, 1h30m. Booleans: --name, --name=false, --no-name.",
            "Precedence: flags, then the config file, then the defaults.",
        ]
        if subcommand == .serve { lines.append("Run \"atsign_exporter check --help\" for the flags of check.") }
        return lines.joined(separator: "\n") + "\n"
    }
}
