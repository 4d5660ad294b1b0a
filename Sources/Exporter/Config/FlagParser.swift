/// The command line split into a subcommand, flag values and arguments, before any value is
/// interpreted. GNU style: `--name=value`, `--name value`, `--bool`, `--bool=false`, `--no-bool`,
/// `--` ends the flags.
struct ParsedCommandLine: Sendable {
    var subcommand: Subcommand = .serve
    /// Values per flag name, in the order given.
    var values: [String: [String]] = [:]
    var arguments: [String] = []
    var wantsHelp = false
    var wantsVersion = false
}

enum FlagParser {
    static func parse(_ arguments: [String]) throws(ConfigError) -> ParsedCommandLine {
        var parsed = ParsedCommandLine()
        var sawSubcommand = false
        var flagsEnded = false
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if flagsEnded || argument == "-" || !argument.hasPrefix("-") {
                if !sawSubcommand, parsed.arguments.isEmpty, let subcommand = Subcommand(rawValue: argument) {
                    parsed.subcommand = subcommand
                    sawSubcommand = true
                } else {
                    parsed.arguments.append(argument)
                }
                continue
            }
            switch argument {
            case "--": flagsEnded = true
            case "--help", "-h": parsed.wantsHelp = true
            case "--version": parsed.wantsVersion = true
            default:
                let (name, value) = try flag(argument, next: index < arguments.count ? arguments[index] : nil)
                if value.consumedNext { index += 1 }
                parsed.values[name, default: []].append(value.text)
            }
        }
        try check(parsed)
        return parsed
    }

    /// One flag's name and value; `consumedNext` when the value was the next argument.
    private static func flag(_ argument: String, next: String?) throws(ConfigError) -> (
        String, (text: String, consumedNext: Bool)
    ) {
        guard argument.hasPrefix("--") else { throw unknownFlag(argument) }
        let body = argument.dropFirst(2)
        let name: String
        let inline: String?
        if let equals = body.firstIndex(of: "=") {
            name = String(body[..<equals])
            inline = String(body[body.index(after: equals)...])
        } else {
            name = String(body)
            inline = nil
        }
        if let definition = FlagTable.named(name) {
            if definition.kind == .boolean { return (name, (inline ?? "true", false)) }
            if let inline { return (name, (inline, false)) }
            guard let next, !next.hasPrefix("--") else {
                throw ConfigError("flag --\(name) needs a value, e.g. --\(name)=\(definition.valueName)")
            }
            return (name, (next, true))
        }
        if name.hasPrefix("no-"), let definition = FlagTable.named(String(name.dropFirst(3))),
            definition.kind == .boolean
        {
            guard inline == nil else { throw ConfigError("flag --\(name) takes no value") }
            return (definition.name, ("false", false))
        }
        throw unknownFlag(argument)
    }

    private static func unknownFlag(_ argument: String) -> ConfigError {
        let name = String(argument.drop { $0 == "-" }.prefix { $0 != "=" })
        var message = "unknown flag \(argument.prefix { $0 != "=" })"
        if let collector = MetricCollector.flagCollectorName(name) {
            return ConfigError(MetricCollector.unknown(collector, in: String(argument.prefix { $0 != "=" })))
        }
        if name.hasPrefix("no-"), FlagTable.named(String(name.dropFirst(3))) != nil {
            return ConfigError(
                message + "; only boolean flags have a --no- form, and --\(name.dropFirst(3)) is not one")
        }
        if let suggestion = EditDistance.closest(to: name, among: FlagTable.all.map(\.name) + ["help", "version"]) {
            message += "; did you mean --\(suggestion)?"
        }
        return ConfigError(message)
    }

    /// Each flag belongs to the chosen subcommand and is given once unless repeatable.
    private static func check(_ parsed: ParsedCommandLine) throws(ConfigError) {
        for definition in FlagTable.all {
            guard let values = parsed.values[definition.name] else { continue }
            guard definition.commands.contains(parsed.subcommand) else {
                let owners = Subcommand.allCases.filter { definition.commands.contains($0) }.map(\.rawValue)
                throw ConfigError(
                    "flag --\(definition.name) does not apply to \(parsed.subcommand.rawValue); "
                        + "it is a flag of \(owners.joined(separator: " and "))")
            }
            if values.count > 1 && !definition.repeatable {
                throw ConfigError("flag --\(definition.name) is given \(values.count) times; give it once")
            }
        }
    }
}

/// Levenshtein distance, to suggest the flag or key a typo meant.
enum EditDistance {
    static func distance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The nearest candidate, when it is near enough to be a typo (or the input is its last
    /// dotted part, as `timeout` for `probe.timeout`); the first in order on a tie.
    static func closest(to input: String, among candidates: [String]) -> String? {
        let lowered = input.lowercased()
        if let byPart = candidates.first(where: { $0.split(separator: ".").last.map(String.init) == lowered }) {
            return byPart
        }
        let scored = candidates.map { (name: $0, distance: distance(lowered, $0)) }
        guard let best = scored.min(by: { $0.distance < $1.distance }) else { return nil }
        return best.distance <= max(2, input.count / 3) ? best.name : nil
    }
}
