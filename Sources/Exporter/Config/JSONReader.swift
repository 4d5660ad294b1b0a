/// A parsed JSON value that keeps what a config file error needs: object members in file order
/// with their line, booleans distinct from numbers, and a number's literal text.
indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// For messages such as `must be an integer, not a string`.
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number(let text): return text.contains(where: { ".eE".contains($0) }) ? "a fraction" : "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

struct JSONMember: Sendable, Equatable {
    let key: String
    let value: JSONValue
    let line: Int
}

struct JSONSyntaxError: Error, Sendable, Equatable {
    let line: Int
    let column: Int
    let reason: String
}

/// A strict RFC 8259 reader written here because Foundation's decoders report neither the line of
/// a syntax error nor the order of keys, and accept trailing commas.
struct JSONReader {
    let bytes: [UInt8]
    var position = 0
    private static let maximumDepth = 64

    static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        var reader = JSONReader(bytes: Array(text.utf8))
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.position == reader.bytes.count else {
            throw reader.failure("unexpected text after the JSON value")
        }
        return value
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    var line: Int { bytes[..<position].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 } }

    func failure(_ reason: String) -> JSONSyntaxError {
        let lineStart = bytes[..<position].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return JSONSyntaxError(line: line, column: position - lineStart + 1, reason: reason)
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    var describedNext: String {
        guard position < bytes.count else { return "the end of the file" }
        let byte = bytes[position]
        return byte >= 0x21 && byte < 0x7F ? "\"\(Character(Unicode.Scalar(byte)))\"" : "byte \(byte)"
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard depth < Self.maximumDepth else { throw failure("nested deeper than \(Self.maximumDepth) levels") }
        guard position < bytes.count else { throw failure("expected a value, found the end of the file") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("expected a value, found \(describedNext)")
        }
    }

    private mutating func literal(_ word: String, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        let expected = Array(word.utf8)
        guard bytes.count - position >= expected.count, Array(bytes[position..<position + expected.count]) == expected
        else { throw failure("expected a value, found \(describedNext)") }
        position += expected.count
        return value
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(JSONSyntaxError) {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else {
            throw failure("expected \(what), found \(describedNext)")
        }
        position += 1
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object([])
        }
        repeat {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                throw failure("expected a key in quotes, found \(describedNext)")
            }
            let keyLine = line
            let key = try string()
            try expect(UInt8(ascii: ":"), "\":\" after the key")
            members.append(JSONMember(key: key, value: try value(depth: depth + 1), line: keyLine))
            skipWhitespace()
        } while try separator(closing: UInt8(ascii: "}"), what: "\",\" or \"}\"")
        return .object(members)
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array([])
        }
        repeat {
            elements.append(try value(depth: depth + 1))
            skipWhitespace()
        } while try separator(closing: UInt8(ascii: "]"), what: "\",\" or \"]\"")
        return .array(elements)
    }

    /// True after a comma (another element follows), false after the closing bracket.
    private mutating func separator(closing: UInt8, what: String) throws(JSONSyntaxError) -> Bool {
        guard position < bytes.count, bytes[position] == UInt8(ascii: ",") || bytes[position] == closing else {
            throw failure("expected \(what), found \(describedNext)")
        }
        position += 1
        return bytes[position - 1] == UInt8(ascii: ",")
    }

    private mutating func number() throws(JSONSyntaxError) -> JSONValue {
        let start = position
        let allowed = Set("+-.eE0123456789".utf8)
        while position < bytes.count, allowed.contains(bytes[position]) { position += 1 }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        let isValid = text.wholeMatch(of: /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/) != nil
        guard isValid else {
            position = start
            throw failure("invalid number \"\(text)\"")
        }
        return .number(text)
    }
}
