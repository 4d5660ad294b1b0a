/// Strict JSON (RFC 8259) into `ConfigNode`s that keep their line numbers, which Foundation's
/// JSONSerialization would lose. Numbers and booleans become scalars as written.
struct JSONConfigParser {
    private let bytes: [UInt8]
    private var position = 0
    private var line = 1

    static func parse(_ text: String) throws(ConfigSyntaxError) -> ConfigNode {
        var parser = JSONConfigParser(bytes: Array(text.utf8))
        let node = try parser.parseValue(depth: 0)
        parser.skipBlanks()
        if parser.position < parser.bytes.count { throw parser.fail("unexpected text after the JSON value") }
        return node
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private mutating func parseValue(depth: Int) throws(ConfigSyntaxError) -> ConfigNode {
        guard depth < 32 else { throw fail("JSON nested too deeply") }
        skipBlanks()
        let start = line
        switch peek() {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return ConfigNode(.scalar(try parseString()), line: start)
        default:
            let word = bytes[position...].prefix { byte in
                !" \t\r\n,]}".utf8.contains(byte)
            }
            let text = String(decoding: word, as: UTF8.self)
            guard !word.isEmpty, text == "true" || text == "false" || text == "null" || Double(text) != nil else {
                throw fail(word.isEmpty ? "expected a JSON value" : "invalid JSON value \"\(text)\"")
            }
            position += word.count
            return ConfigNode(text == "null" ? .null : .scalar(text), line: start)
        }
    }

    private mutating func parseObject(depth: Int) throws(ConfigSyntaxError) -> ConfigNode {
        let start = line
        position += 1
        var entries: [ConfigEntry] = []
        skipBlanks()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return ConfigNode(.mapping([]), line: start)
        }
        while true {
            skipBlanks()
            guard peek() == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
            let keyLine = line
            let key = try parseString()
            if entries.contains(where: { $0.key == key }) { throw fail("duplicate key \"\(key)\"") }
            try expect(":")
            var node = try parseValue(depth: depth + 1)
            node.line = keyLine
            entries.append(ConfigEntry(key: key, node: node))
            if try endOfCollection("}") { return ConfigNode(.mapping(entries), line: start) }
        }
    }

    private mutating func parseArray(depth: Int) throws(ConfigSyntaxError) -> ConfigNode {
        let start = line
        position += 1
        var items: [ConfigNode] = []
        skipBlanks()
        if peek() == UInt8(ascii: "]") {
            position += 1
            return ConfigNode(.list([]), line: start)
        }
        while true {
            items.append(try parseValue(depth: depth + 1))
            if try endOfCollection("]") { return ConfigNode(.list(items), line: start) }
        }
    }

    /// After an element: true at the closing bracket, false after a comma.
    private mutating func endOfCollection(_ close: Unicode.Scalar) throws(ConfigSyntaxError) -> Bool {
        skipBlanks()
        switch peek() {
        case UInt8(ascii: ","):
            position += 1
            return false
        case UInt8(ascii: close):
            position += 1
            return true
        default: throw fail("expected \",\" or \"\(close)\"")
        }
    }

    private mutating func parseString() throws(ConfigSyntaxError) -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        func flush() {
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            raw.removeAll()
        }
        while let byte = next() {
            switch byte {
            case UInt8(ascii: "\""):
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush()
                scalars.append(try parseEscape())
            case 0..<0x20: throw fail("control character in a JSON string")
            default: raw.append(byte)
            }
        }
        throw fail("unterminated JSON string")
    }

    private mutating func parseEscape() throws(ConfigSyntaxError) -> Unicode.Scalar {
        let simple: [UInt8: Unicode.Scalar] = [
            UInt8(ascii: "\""): "\"", UInt8(ascii: "\\"): "\\", UInt8(ascii: "/"): "/", UInt8(ascii: "b"): "\u{8}",
            UInt8(ascii: "f"): "\u{C}", UInt8(ascii: "n"): "\n", UInt8(ascii: "r"): "\r", UInt8(ascii: "t"): "\t",
        ]
        guard let byte = next() else { throw fail("unterminated JSON string") }
        if let scalar = simple[byte] { return scalar }
        guard byte == UInt8(ascii: "u") else { throw fail("invalid escape in a JSON string") }
        var code = try hex4()
        if (0xD800..<0xDC00).contains(code) {
            guard next() == UInt8(ascii: "\\"), next() == UInt8(ascii: "u") else {
                throw fail("unpaired surrogate in a JSON string")
            }
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate in a JSON string") }
            code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw fail("unpaired surrogate in a JSON string") }
        return scalar
    }

    private mutating func hex4() throws(ConfigSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count,
            bytes[position..<position + 4].allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
            let code = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
        else { throw fail("bad \\u escape in a JSON string") }
        position += 4
        return code
    }

    private mutating func expect(_ character: Unicode.Scalar) throws(ConfigSyntaxError) {
        skipBlanks()
        guard next() == UInt8(ascii: character) else { throw fail("expected \"\(character)\"") }
    }

    private mutating func skipBlanks() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
            if byte == 0x0A { line += 1 }
            position += 1
        }
    }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private mutating func next() -> UInt8? {
        defer { position += 1 }
        return peek()
    }

    private func fail(_ message: String) -> ConfigSyntaxError { ConfigSyntaxError(line: line, message: message) }
}
