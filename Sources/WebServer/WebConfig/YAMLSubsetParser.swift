/// The part of YAML that web config files use: block mappings nested by indentation, `key: value`
/// with plain, 'single' or "double" quoted scalars, `#` comments, and lists of scalars (block
/// `- item` or flow `[a, b]`). Anything else (anchors, tags, block scalars, flow mappings,
/// several documents) is refused with a message saying so, rather than misread.
struct YAMLSubsetParser {
    struct Line {
        var number: Int
        var indent: Int
        var text: Substring
    }

    private var lines: [Line] = []
    private var index = 0

    static func parse(_ text: String) throws(ConfigSyntaxError) -> ConfigNode {
        var parser = YAMLSubsetParser()
        try parser.readLines(text)
        guard let first = parser.lines.first else { return ConfigNode(.null, line: 1) }
        let root = try parser.parseBlock(indent: first.indent)
        if parser.index < parser.lines.count {
            let line = parser.lines[parser.index]
            throw parser.badIndentation(line, expected: first.indent)
        }
        return root
    }

    private mutating func readLines(_ text: String) throws(ConfigSyntaxError) {
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            let spaces = line.prefix { $0 == " " }.count
            if line.dropFirst(spaces).first == "\t" {
                throw ConfigSyntaxError(line: number, message: "tab in indentation; YAML indents with spaces")
            }
            let content = YAMLScalar.stripComment(line.dropFirst(spaces))
            if content.isEmpty { continue }
            if content == "---" && lines.isEmpty { continue }
            if content == "---" || content == "..." || content.hasPrefix("%") {
                throw ConfigSyntaxError(
                    line: number, message: "\"\(content)\": only one YAML document, without directives, is supported")
            }
            lines.append(Line(number: number, indent: spaces, text: content))
        }
    }

    private mutating func parseBlock(indent: Int) throws(ConfigSyntaxError) -> ConfigNode {
        isListItem(lines[index]) ? try parseList(indent: indent) : try parseMapping(indent: indent)
    }

    private mutating func parseMapping(indent: Int) throws(ConfigSyntaxError) -> ConfigNode {
        var entries: [ConfigEntry] = []
        let startLine = lines[index].number
        while index < lines.count, lines[index].indent >= indent {
            let line = lines[index]
            guard line.indent == indent else { throw badIndentation(line, expected: indent) }
            guard !isListItem(line) else {
                throw ConfigSyntaxError(line: line.number, message: "a list item where a \"key: value\" was expected")
            }
            let (key, rest) = try splitKey(line)
            if let first = entries.first(where: { $0.key == key }) {
                throw ConfigSyntaxError(
                    line: line.number, message: "duplicate key \"\(key)\" (first on line \(first.node.line))")
            }
            index += 1
            var node: ConfigNode
            if !rest.isEmpty {
                node = try YAMLScalar.parseValue(rest, line: line.number)
            } else if index < lines.count, lines[index].indent > indent {
                node = try parseBlock(indent: lines[index].indent)
            } else if index < lines.count, lines[index].indent == indent, isListItem(lines[index]) {
                node = try parseList(indent: indent)
            } else {
                node = ConfigNode(.null, line: line.number)
            }
            node.line = line.number
            entries.append(ConfigEntry(key: key, node: node))
        }
        return ConfigNode(.mapping(entries), line: startLine)
    }

    private mutating func parseList(indent: Int) throws(ConfigSyntaxError) -> ConfigNode {
        var items: [ConfigNode] = []
        let startLine = lines[index].number
        while index < lines.count, lines[index].indent >= indent {
            let line = lines[index]
            guard line.indent == indent else { throw badIndentation(line, expected: indent) }
            guard isListItem(line) else { break }
            let item = line.text.dropFirst().drop { $0 == " " }
            if item.isEmpty || item.hasPrefix("- ") || YAMLScalar.keySplit(item) != nil {
                throw ConfigSyntaxError(line: line.number, message: "only lists of single values are supported")
            }
            items.append(try YAMLScalar.parseValue(item, line: line.number))
            index += 1
        }
        return ConfigNode(.list(items), line: startLine)
    }

    private func isListItem(_ line: Line) -> Bool { line.text == "-" || line.text.hasPrefix("- ") }

    private func splitKey(_ line: Line) throws(ConfigSyntaxError) -> (String, Substring) {
        guard let (rawKey, rest) = YAMLScalar.keySplit(line.text) else {
            throw ConfigSyntaxError(line: line.number, message: "expected \"key: value\", found \"\(line.text)\"")
        }
        guard case .scalar(let key) = try YAMLScalar.parseValue(rawKey, line: line.number).value, !key.isEmpty else {
            throw ConfigSyntaxError(line: line.number, message: "empty key in \"\(line.text)\"")
        }
        return (key, rest)
    }

    private func badIndentation(_ line: Line, expected: Int) -> ConfigSyntaxError {
        ConfigSyntaxError(
            line: line.number,
            message: "bad indentation: \(line.indent) spaces where \(expected) were expected")
    }
}
