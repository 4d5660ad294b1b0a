import CYAML

/// What RFC 8259 refuses and libyaml's flow style accepts, checked on libyaml's tokens with the
/// original text at hand: comments, trailing commas, `?` keys, keys that are not strings, keys
/// without values, `key: value` pairs inside `[ ]`, single quotes, plain words other than
/// `true`/`false`/`null` (`nan`, `.inf`, `0x1F`, `1_000`, `+1`, `01`), YAML escapes (`\x41`,
/// `\e`), raw control characters and line breaks in strings, and block (indented) YAML.
/// Duplicate keys are refused by the tree builder for both syntaxes.
struct JSONStrictness {
    /// The text as Unicode scalars: libyaml's mark index counts characters, not bytes.
    let source: [Unicode.Scalar]
    private var containers: [yaml_token_type_t] = []
    private var previous = YAML_STREAM_START_TOKEN
    private var previousEnd = 0

    init(source: [Unicode.Scalar]) { self.source = source }

    mutating func check(_ parser: UnsafeMutablePointer<yaml_parser_t>) throws(ConfigSyntaxError) {
        var token = yaml_token_t()
        while true {
            guard yaml_parser_scan(parser, &token) == 1 else { throw LibYAMLParser.failure(parser) }
            defer { yaml_token_delete(&token) }
            try check(token)
            if token.type == YAML_STREAM_END_TOKEN { return }
            previous = token.type
            previousEnd = token.end_mark.index
        }
    }

    private mutating func check(_ token: yaml_token_t) throws(ConfigSyntaxError) {
        let mark = token.start_mark
        func fail(_ message: String) -> ConfigSyntaxError { LibYAMLParser.error(mark, message) }
        try checkGap(before: token)
        if previous == YAML_FLOW_ENTRY_TOKEN,
            token.type == YAML_FLOW_SEQUENCE_END_TOKEN || token.type == YAML_FLOW_MAPPING_END_TOKEN
        {
            throw fail("a comma before a closing bracket is not JSON")
        }
        let inMapping = containers.last == YAML_FLOW_MAPPING_START_TOKEN
        switch token.type {
        case YAML_STREAM_START_TOKEN, YAML_FLOW_ENTRY_TOKEN: break
        case YAML_STREAM_END_TOKEN:
            if previous == YAML_STREAM_START_TOKEN { throw fail("expected a JSON value, found the end of the text") }
        case YAML_FLOW_SEQUENCE_START_TOKEN, YAML_FLOW_MAPPING_START_TOKEN:
            try checkValuePosition(inMapping: inMapping, fail)
            containers.append(token.type)
        case YAML_FLOW_SEQUENCE_END_TOKEN, YAML_FLOW_MAPPING_END_TOKEN:
            if previous == YAML_VALUE_TOKEN { throw fail("a value is missing after \":\"") }
            // libyaml's scanner counts brackets without pairing them: `}` alone or `[1}` reach here.
            let isList = token.type == YAML_FLOW_SEQUENCE_END_TOKEN
            guard let open = containers.last else { throw fail("\"\(isList ? "]" : "}")\" closes nothing") }
            guard open == (isList ? YAML_FLOW_SEQUENCE_START_TOKEN : YAML_FLOW_MAPPING_START_TOKEN) else {
                throw fail("\"\(isList ? "]" : "}")\" closes a \"\(isList ? "{" : "[")\"")
            }
            containers.removeLast()
        case YAML_KEY_TOKEN:
            guard inMapping else { throw fail("a \"key\": value pair inside [ ] is not JSON") }
            guard token.end_mark.index == mark.index else { throw fail("\"?\" keys are not JSON") }
        case YAML_VALUE_TOKEN:
            guard inMapping, previous == YAML_SCALAR_TOKEN else { throw fail("\":\" is out of place") }
        case YAML_SCALAR_TOKEN:
            if previous == YAML_KEY_TOKEN {
                guard token.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE else {
                    throw fail("a key must be a string in double quotes")
                }
            } else {
                try checkValuePosition(inMapping: inMapping, fail)
            }
            try checkScalar(token, fail)
        default:
            throw fail("YAML syntax is not JSON here (indented blocks, \"---\", &, *, ! and % are YAML only)")
        }
    }

    /// A value in a mapping comes after `:`; `{"a"}` would otherwise read as a key with no value.
    private func checkValuePosition(inMapping: Bool, _ fail: (String) -> ConfigSyntaxError) throws(ConfigSyntaxError) {
        if inMapping && previous != YAML_VALUE_TOKEN { throw fail("a key needs \":\" and a value") }
    }

    /// Between tokens JSON allows only whitespace; a `#` comment is the usual thing found there.
    private func checkGap(before token: yaml_token_t) throws(ConfigSyntaxError) {
        let end = min(token.start_mark.index, source.count)
        guard previousEnd < end else { return }
        for index in previousEnd..<end {
            let scalar = source[index]
            if [" ", "\t", "\n", "\r"].contains(scalar) || (index == 0 && scalar == "\u{FEFF}") { continue }
            let message = scalar == "#" ? "comments are not JSON" : "unexpected \"\(scalar)\" (not JSON)"
            throw ConfigSyntaxError(line: line(at: index), column: 1, message: message)
        }
    }

    private func checkScalar(_ token: yaml_token_t, _ fail: (String) -> ConfigSyntaxError) throws(ConfigSyntaxError) {
        let scalar = token.data.scalar
        switch scalar.style {
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
            try checkString(from: token.start_mark.index + 1, to: token.end_mark.index - 1, fail)
        case YAML_PLAIN_SCALAR_STYLE:
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let isNumber = text.wholeMatch(of: /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/) != nil
            guard isNumber || ["true", "false", "null"].contains(text) else {
                throw fail("\"\(text)\" is not a JSON value (strings need double quotes; numbers are decimal)")
            }
        default: throw fail("only double quotes delimit JSON strings")
        }
    }

    /// The raw text between the quotes: no control characters, only JSON's escapes.
    private func checkString(from start: Int, to end: Int, _ fail: (String) -> ConfigSyntaxError)
        throws(ConfigSyntaxError)
    {
        var index = start
        while index < end {
            let scalar = source[index]
            if scalar.value < 0x20 {
                throw fail("a string holds a raw control character (\(scalar.value)); escape it")
            }
            index += 1
            guard scalar == "\\", index < end else { continue }
            let escape = source[index]
            if escape == "u" {
                index += 4
            } else if !"\"\\/bfnrt".unicodeScalars.contains(escape) {
                throw fail("unknown escape \"\\\(escape)\" in a string")
            }
            index += 1
        }
    }

    private func line(at index: Int) -> Int {
        source[..<index].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
    }
}
