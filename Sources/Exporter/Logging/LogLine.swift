/// A field value: numbers and booleans stay bare in JSON; everything else is text.
enum LogValue: Equatable {
    case string(String)
    case literal(String)

    init(_ value: Any) {
        switch value {
        case let value as Bool: self = .literal(value ? "true" : "false")
        case let value as Int: self = .literal(String(value))
        case let value as Int64: self = .literal(String(value))
        case let value as UInt64: self = .literal(String(value))
        case let value as Double where value.isFinite: self = .literal(String(value))
        case let value as String: self = .string(value)
        case let value as Duration: self = .literal(LogValue.seconds(value))
        default: self = .string(String(describing: value))
        }
    }

    /// A duration logs as decimal seconds, the unit Prometheus metrics use.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(Double(seconds) + Double(attoseconds) / 1e18)
    }

    var text: String {
        switch self {
        case .string(let text), .literal(let text): return text
        }
    }
}

/// Renders one log record as a line without its newline.
enum LogLine {
    static func logfmt(_ fields: [(key: String, value: LogValue)]) -> String {
        fields.map { "\(logfmtKey($0.key))=\(logfmtValue($0.value.text))" }.joined(separator: " ")
    }

    static func json(_ fields: [(key: String, value: LogValue)]) -> String {
        let members = fields.map { field in
            let value: String
            switch field.value {
            case .literal(let text): value = text
            case .string(let text): value = jsonString(text)
            }
            return "\(jsonString(field.key)):\(value)"
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// A key cannot be quoted in logfmt, so characters that would break the pair become `_`.
    static func logfmtKey(_ key: String) -> String {
        guard !key.isEmpty else { return "_" }
        return String(key.unicodeScalars.map { needsQuoting($0) ? "_" : Character($0) })
    }

    /// Quoted when empty or holding a space, `=`, `"` or a control character (go-logfmt's rule).
    static func logfmtValue(_ value: String) -> String {
        guard value.isEmpty || value.unicodeScalars.contains(where: needsQuoting) else { return value }
        return "\"" + escaped(value) + "\""
    }

    static func jsonString(_ value: String) -> String { "\"" + escaped(value) + "\"" }

    private static func needsQuoting(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value <= 0x20 || scalar == "=" || scalar == "\"" || (0x7F...0x9F).contains(scalar.value)
    }

    /// Escapes that JSON and logfmt readers share: quote, backslash, `\n \r \t`, `\u00XX`.
    private static func escaped(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
