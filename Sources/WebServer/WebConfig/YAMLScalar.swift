/// Scalars, keys and comments of `YAMLSubsetParser`'s YAML subset.
enum YAMLScalar {
    /// The line without its `#` comment (a `#` at the start or after a blank, outside quotes)
    /// and without trailing blanks.
    static func stripComment(_ text: Substring) -> Substring {
        var quote: Character?
        var previous: Character?
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if let open = quote {
                if escaped {
                    escaped = false
                } else if open == "\"" && character == "\\" {
                    escaped = true
                } else if character == open {
                    quote = nil
                }
            } else if character == "#" && (previous == nil || previous == " " || previous == "\t") {
                return trimTrailing(text[..<index])
            } else if character == "\"" || character == "'", previous.map({ " [,".contains($0) }) ?? true {
                quote = character
            }
            previous = character
        }
        return trimTrailing(text)
    }

    /// Splits `key: value` (or `key:`) into the raw key and the value; nil when there is no
    /// `:` followed by a blank or the end, outside the key's quotes.
    static func keySplit(_ text: Substring) -> (key: Substring, rest: Substring)? {
        var searchStart = text.startIndex
        if let open = text.first, open == "\"" || open == "'" {
            guard let close = closingQuote(text, open: open) else { return nil }
            searchStart = text.index(after: close)
        }
        var index = searchStart
        while index < text.endIndex {
            if text[index] == ":" {
                let next = text.index(after: index)
                if next == text.endIndex || text[next] == " " {
                    let key = trimTrailing(text[..<index])
                    return (key, text[next...].drop { $0 == " " })
                }
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// A value after `key:` or `- `: a quoted or plain scalar, `null`/`~`, a flow list of scalars,
    /// or `{}`.
    static func parseValue(_ text: Substring, line: Int) throws(ConfigSyntaxError) -> ConfigNode {
        func fail(_ message: String) -> ConfigSyntaxError { ConfigSyntaxError(line: line, message: message) }
        guard let first = text.first else { return ConfigNode(.null, line: line) }
        switch first {
        case "\"", "'":
            guard let close = closingQuote(text, open: first), text.index(after: close) == text.endIndex else {
                throw fail("unterminated or malformed quoted value \(text)")
            }
            let inner = text[text.index(after: text.startIndex)..<close]
            let value = first == "'" ? String(inner.replacing("''", with: "'")) : try unescape(inner, line: line)
            return ConfigNode(.scalar(value), line: line)
        case "[":
            return try parseFlowList(text, line: line)
        case "{":
            guard text.filter({ $0 != " " }) == "{}" else {
                throw fail("flow mappings ({…}) are not supported; write one \"key: value\" per line")
            }
            return ConfigNode(.mapping([]), line: line)
        case "|", ">":
            throw fail("block scalars (| and >) are not supported; write the value on one line")
        case "&", "*", "!":
            throw fail("anchors, aliases and tags (&, *, !) are not supported")
        default:
            if ["~", "null", "Null", "NULL"].contains(text) { return ConfigNode(.null, line: line) }
            return ConfigNode(.scalar(String(text)), line: line)
        }
    }

    private static func parseFlowList(_ text: Substring, line: Int) throws(ConfigSyntaxError) -> ConfigNode {
        guard text.last == "]" else {
            throw ConfigSyntaxError(line: line, message: "unterminated flow list \(text)")
        }
        let inner = text.dropFirst().dropLast()
        guard inner.contains(where: { $0 != " " }) else { return ConfigNode(.list([]), line: line) }
        var items: [ConfigNode] = []
        var start = inner.startIndex
        var quote: Character?
        for index in inner.indices + [inner.endIndex] {
            let character = index < inner.endIndex ? inner[index] : ","
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "," {
                let item = trimTrailing(inner[start..<index].drop { $0 == " " })
                guard !item.contains(where: { "[]{}".contains($0) }) else {
                    throw ConfigSyntaxError(line: line, message: "nested flow collections are not supported")
                }
                items.append(try parseValue(item, line: line))
                if index < inner.endIndex { start = inner.index(after: index) }
            }
        }
        return ConfigNode(.list(items), line: line)
    }

    /// The index of the quote closing the one `text` starts with.
    private static func closingQuote(_ text: Substring, open: Character) -> Substring.Index? {
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let character = text[index]
            if open == "\"" && character == "\\" {
                index = text.index(after: index)
                if index == text.endIndex { return nil }
            } else if character == open {
                let next = text.index(after: index)
                if open == "'" && next < text.endIndex && text[next] == "'" {
                    index = next
                } else {
                    return index
                }
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// Double-quoted escapes: `\" \\ \/ \n \t \r \0` and `\uXXXX`.
    private static func unescape(_ text: Substring, line: Int) throws(ConfigSyntaxError) -> String {
        var result = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "\\" else {
                result.append(character)
                continue
            }
            switch iterator.next() {
            case "\"": result.append("\"")
            case "\\": result.append("\\")
            case "/": result.append("/")
            case "n": result.append("\n")
            case "t": result.append("\t")
            case "r": result.append("\r")
            case "0": result.append("\0")
            case "u":
                let hex = String((0..<4).compactMap { _ in iterator.next() })
                guard hex.count == 4, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                    throw ConfigSyntaxError(line: line, message: "bad \\u escape in a quoted value")
                }
                result.unicodeScalars.append(scalar)
            case let other:
                throw ConfigSyntaxError(
                    line: line, message: "unsupported escape \\\(other.map(String.init) ?? "") in a quoted value")
            }
        }
        return result
    }

    private static func trimTrailing(_ text: Substring) -> Substring {
        var end = text.endIndex
        while end > text.startIndex, text[text.index(before: end)] == " " || text[text.index(before: end)] == "\t" {
            end = text.index(before: end)
        }
        return text[..<end]
    }
}
