import AtStatus

/// `--config.file`: a JSON object whose keys are named like the flags (`"probe.interval": "30s"`),
/// except `atsigns` for `--atsign`. Strings for text and durations, JSON booleans and integers,
/// arrays of strings for repeatable flags. Unknown keys and wrong types are errors naming the key.
enum ConfigFile {
    struct Entry {
        let definition: FlagDefinition
        let values: [(text: String, origin: ValueOrigin)]
    }

    static func entries(of text: String, file: String) throws(ConfigError) -> [Entry] {
        let root: JSONValue
        do {
            root = try JSONReader.parse(text)
        } catch {
            throw ConfigError("invalid JSON in \(file) at line \(error.line) column \(error.column): \(error.reason)")
        }
        guard case .object(let members) = root else {
            throw ConfigError(
                "\(file) must hold a JSON object of settings such as {\"probe.interval\": \"30s\"}, not \(root.typeName)"
            )
        }
        var seen: [String: Int] = [:]
        var entries: [Entry] = []
        for member in members {
            let place = "\(file) line \(member.line)"
            if let first = seen[member.key] {
                throw ConfigError("key \"\(member.key)\" in \(place) repeats the one at line \(first)")
            }
            seen[member.key] = member.line
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
    private static func values(of member: JSONMember, _ definition: FlagDefinition, _ file: String, _ place: String)
        throws(ConfigError) -> [(text: String, origin: ValueOrigin)]
    {
        let origin = ValueOrigin.configKey(file: file, key: member.key)
        let wrongType = ConfigError(
            "key \"\(member.key)\" in \(place) must be \(definition.kind.jsonType), not \(member.value.typeName)")
        switch (definition.kind, member.value) {
        case (.text, .string(let text)): return [(text, origin)]
        case (.boolean, .bool(let value)): return [(value ? "true" : "false", origin)]
        case (.integer, .number(let text)) where Int(text) != nil: return [(text, origin)]
        case (.list, .array(let elements)):
            var values: [(text: String, origin: ValueOrigin)] = []
            for (index, element) in elements.enumerated() {
                guard case .string(let text) = element else {
                    throw ConfigError(
                        "element \(index) of \"\(member.key)\" in \(place) must be a string, not \(element.typeName)")
                }
                values.append((text, .configElement(file: file, key: member.key, index: index)))
            }
            return values
        default: throw wrongType
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
