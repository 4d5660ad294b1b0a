import CYAML

/// Reads config text into a `ConfigNode` tree through libyaml (Debian's `libyaml-0-2`), so the
/// exporter's config file and the web config share one well-tested parser.
///
/// libyaml reads YAML 1.1, of which the JSON these configs use is a part (flow style). Where it
/// is more lenient than RFC 8259, `.json` refuses explicitly (see `JSONStrictness`). In both
/// syntaxes the reader refuses what a config never needs and a parser must guard against:
/// duplicate keys, anchors and aliases (exponential expansion), tags, several documents, keys
/// that are not single values, and nesting deeper than `maximumDepth`.
public enum ConfigReader {
    public enum Syntax: Sendable {
        /// Any YAML a config could use, JSON included.
        case yaml
        /// RFC 8259 JSON only.
        case json
    }

    public static let maximumDepth = 64

    public static func parse(_ text: String, syntax: Syntax) throws(ConfigSyntaxError) -> ConfigNode {
        var bytes = Array(text.utf8)
        if syntax == .json {
            // JSON allows tabs wherever spaces go, libyaml not at the start of a line; a tab
            // inside a JSON string is an error `JSONStrictness` finds in the original text.
            for index in bytes.indices where bytes[index] == 0x09 { bytes[index] = 0x20 }
            try LibYAMLParser.withParser(bytes) { parser throws(ConfigSyntaxError) in
                var strictness = JSONStrictness(source: Array(text.unicodeScalars))
                try strictness.check(parser)
            }
        }
        do {
            return try LibYAMLParser.withParser(bytes) { parser throws(ConfigSyntaxError) in
                var builder = TreeBuilder()
                return try builder.build(parser)
            }
        } catch {
            throw explained(error, in: text)
        }
    }

    /// libyaml says "cannot start any token" of a tab in indentation; say what to do instead.
    private static func explained(_ error: ConfigSyntaxError, in text: String) -> ConfigSyntaxError {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard error.message.hasPrefix("found character that cannot start any token"), error.line <= lines.count,
            lines[error.line - 1].unicodeScalars.dropFirst(error.column - 1).first == "\t"
        else { return error }
        return ConfigSyntaxError(
            line: error.line, column: error.column, message: "a tab where YAML allows only spaces (indent with spaces)")
    }
}

/// A libyaml parser over a byte buffer that outlives it, and its errors in our terms.
enum LibYAMLParser {
    static func withParser<T>(
        _ bytes: [UInt8], _ body: (UnsafeMutablePointer<yaml_parser_t>) throws(ConfigSyntaxError) -> T
    ) throws(ConfigSyntaxError) -> T {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else {
            throw ConfigSyntaxError(line: 1, column: 1, message: "libyaml could not start (out of memory)")
        }
        defer { yaml_parser_delete(parser) }
        let result: Result<T, ConfigSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            do throws(ConfigSyntaxError) {
                return .success(try body(parser))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// libyaml's own words for a syntax error, at its position.
    static func failure(_ parser: UnsafeMutablePointer<yaml_parser_t>) -> ConfigSyntaxError {
        let mark = parser.pointee.problem_mark
        var message = parser.pointee.problem.map { String(cString: $0) } ?? "unreadable text"
        if message == "found invalid Unicode character escape code" {
            // libyaml refuses UTF-16 surrogate escapes, which RFC 8259 allows in pairs.
            message =
                "a \\u escape of a UTF-16 surrogate (as in \\ud83d\\ude00) is not supported; "
                + "write the character itself"
        } else if let context = parser.pointee.context {
            message += " (\(String(cString: context)))"
        }
        return ConfigSyntaxError(line: mark.line + 1, column: mark.column + 1, message: message)
    }

    static func error(_ mark: yaml_mark_t, _ message: String) -> ConfigSyntaxError {
        ConfigSyntaxError(line: mark.line + 1, column: mark.column + 1, message: message)
    }
}
