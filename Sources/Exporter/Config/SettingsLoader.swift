import AtStatus
import Basics

/// What the command line asks for.
public enum Invocation: Sendable, Equatable {
    case run(Settings)
    case help(String)
    case version
}

/// Builds `Settings` from the command line and the files it names. Precedence: a flag given on
/// the command line wins over the config file, which wins over the default; a repeatable flag
/// given on the command line replaces the config file's list. The atSigns are the union of
/// `--atsign` (or the config file's `atsigns`), `--atsigns.file` and, for `check`, the arguments.
/// Pure apart from `readFile`, so a reload re-runs it with the same arguments.
public struct SettingsLoader: Sendable {
    public typealias FileReader = @Sendable (_ path: String) throws -> String

    let readFile: FileReader

    public init(readFile: @escaping FileReader = { path in try TextFile.read(path) }) {
        self.readFile = readFile
    }

    public func invocation(arguments: [String]) throws(ConfigError) -> Invocation {
        let parsed = try FlagParser.parse(arguments)
        if parsed.wantsHelp { return .help(HelpText.text(for: parsed.subcommand)) }
        if parsed.wantsVersion { return .version }
        return .run(try settings(from: parsed))
    }

    /// The settings, for callers that handled `--help` and `--version` already (a reload).
    public func load(arguments: [String]) throws(ConfigError) -> Settings {
        guard case .run(let settings) = try invocation(arguments: arguments) else {
            throw ConfigError("--help and --version do not describe settings to load")
        }
        return settings
    }

    private func settings(from parsed: ParsedCommandLine) throws(ConfigError) -> Settings {
        var settings = Settings()
        settings.command = parsed.subcommand
        if let texts = parsed.values["config.file"], let definition = FlagTable.named("config.file") {
            try definition.apply(&settings, texts.map { ($0, ValueOrigin.flag(definition.name)) })
        }
        if let path = settings.configFile {
            let text = try read(path, flag: "config.file")
            for entry in try ConfigFile.entries(of: text, file: path) where parsed.values[entry.definition.name] == nil
            {
                try entry.definition.apply(&settings, entry.values)
            }
        }
        for definition in FlagTable.all {
            guard let texts = parsed.values[definition.name] else { continue }
            try definition.apply(&settings, texts.map { ($0, ValueOrigin.flag(definition.name)) })
        }
        try settings.atSigns += atSigns(fromArguments: parsed.arguments, command: parsed.subcommand)
        if let path = settings.atSignsFile {
            let text = try read(path, flag: "atsigns.file")
            try settings.atSigns += Self.atSigns(AtSignsFile.values(of: text, file: path))
        }
        settings.atSigns = Array(Set(settings.atSigns)).sorted()
        try settings.validate()
        return settings
    }

    private func read(_ path: String, flag: String) throws(ConfigError) -> String {
        do {
            return try readFile(path)
        } catch {
            throw ConfigError("cannot read \(path) (--\(flag)): \(error)")
        }
    }

    private func atSigns(fromArguments arguments: [String], command: Subcommand) throws(ConfigError) -> [AtSign] {
        guard command == .serve, let first = arguments.first else {
            return try Self.atSigns(arguments.enumerated().map { ($1, .argument($0 + 1)) })
        }
        if let guess = EditDistance.closest(to: first, among: Subcommand.allCases.map(\.rawValue)) {
            throw ConfigError("unknown command \"\(first.debugEscaped)\"; did you mean \"\(guess)\"?")
        }
        throw ConfigError(
            "unexpected argument \"\(first.debugEscaped)\": serve takes no arguments "
                + "(to probe once, run: atsign_exporter check ATSIGN...)")
    }

    private static func atSigns(_ values: [(text: String, origin: ValueOrigin)]) throws(ConfigError) -> [AtSign] {
        var atSigns: [AtSign] = []
        for value in values {
            do throws(ValueProblemError) {
                atSigns.append(try ValueParsers.atSign(value.text))
            } catch {
                throw error.error(at: value.origin)
            }
        }
        return atSigns
    }
}
