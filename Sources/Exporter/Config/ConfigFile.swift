import AtStatus
import Basics
import ConfigText

/// `--config.file`: a JSON object whose keys are named like the flags (`"probe.interval": "30s"`),
/// except `atsigns` for `--atsign`. Strings for text and durations, JSON booleans and integers,
/// arrays of strings for repeatable flags. Unknown keys and wrong types are errors naming the key.
enum ConfigFile {
    struct Entry {
        let definition: FlagDefinition
        let values: [(text: String, origin: ValueOrigin)]
    }

    static func entries(of text: String, file: String) throws(ConfigError) -> [Entry] {
        let root: ConfigNode
        do {
            root = try ConfigReader.parse(text, syntax: .json)
        } catch {
            throw ConfigError("invalid JSON in \(file) at line \(error.line) column \(error.column): \(error.message)")
        }
        guard case .mapping(let members) = root.value else {
            throw ConfigError(
                "\(file) must hold a JSON object of settings such as {\"probe.interval\": \"30s\"}, not \(root.jsonType)"
            )
        }
        var entries: [Entry] = []
        for member in members {
            let place = "\(file) line \(member.line)"
            guard let definition = FlagTable.forConfigKey(member.key), definition.commands.contains(.serve) else {
                throw unknownKey(member.key, at: place)
            }
            entries.append(Entry(definition: definition, values: try values(of: member, definition, file, place)))
        }
        return entries
    }

    private static func unknownKey(_ key: String, at place: String) -> ConfigError {
        if let collector = MetricCollector.flagCollectorName(key), !key.hasPrefix("no-") {
            return ConfigError(MetricCollector.unknown(collector, in: "key \"\(key.debugEscaped)\" in \(place)"))
        }
        let keys = FlagTable.all.compactMap { $0.commands.contains(.serve) ? $0.configKey : nil }
        var message = "unknown key \"\(key.debugEscaped)\" in \(place)"
        if let suggestion = EditDistance.closest(to: key, among: keys) {
            message += "; did you mean \"\(suggestion)\"?"
        }
        return ConfigError(message)
    }

    /// The member's value as the texts a flag would have carried.
    private static func values(of member: ConfigEntry, _ definition: FlagDefinition, _ file: String, _ place: String)
        throws(ConfigError) -> [(text: String, origin: ValueOrigin)]
    {
        let origin = ValueOrigin.configKey(file: file, key: member.key)
        let wrongType = ConfigError(
            "key \"\(member.key)\" in \(place) must be \(definition.kind.jsonType), not \(member.node.jsonType)")
        switch (definition.kind, member.node.value) {
        case (.text, .scalar(let text, quoted: true)): return [(text, origin)]
        case (.boolean, .scalar(let text, quoted: false)) where text == "true" || text == "false":
            return [(text, origin)]
        case (.integer, .scalar(let text, quoted: false)) where Int(text) != nil: return [(text, origin)]
        case (.list, .list(let elements)):
            var values: [(text: String, origin: ValueOrigin)] = []
            for (index, element) in elements.enumerated() {
                guard case .scalar(let text, quoted: true) = element.value else {
                    throw ConfigError(
                        "element \(index) of \"\(member.key)\" in \(place) must be a string, not \(element.jsonType)")
                }
                values.append((text, .configElement(file: file, key: member.key, index: index)))
            }
            return values
        default: throw wrongType
        }
    }
}

extension ConfigNode {
    /// For messages such as `must be an integer, not a string`, in JSON's terms.
    fileprivate var jsonType: String {
        switch value {
        case .null: return "null"
        case .scalar(_, quoted: true): return "a string"
        case .scalar("true", quoted: false), .scalar("false", quoted: false): return "a boolean"
        case .scalar(let text, quoted: false):
            return text.contains(where: { ".eE".contains($0) }) ? "a fraction" : "a number"
        case .list: return "an array"
        case .mapping: return "an object"
        }
    }
}

/// `--atsigns.file`: one atSign a line; blank lines are skipped and `#` starts a comment, on its
/// own line or after an atSign, so an atSign holding `#` cannot be listed here (use the flag).
enum AtSignsFile {
    static func values(of text: String, file: String) -> [(text: String, origin: ValueOrigin)] {
        var values: [(text: String, origin: ValueOrigin)] = []
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, line) in lines.enumerated() {
            let content = line.prefix { $0 != "#" }.drop { $0.isWhitespace }
            let trimmed = content.prefix(content.count - content.reversed().prefix { $0.isWhitespace }.count)
            if !trimmed.isEmpty { values.append((String(trimmed), .fileLine(file: file, line: index + 1))) }
        }
        return values
    }
}
