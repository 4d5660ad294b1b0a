extension String {
    /// The string with quotes, backslashes and control characters escaped, so an error message
    /// quoting an input stays on one line and shows what was there.
    public var debugEscaped: String {
        var out = ""
        for scalar in unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// In double quotes and escaped, cut after `limit` characters with `…`: how every error
    /// message quotes what it was given.
    public func quotedForMessage(limit: Int = 200) -> String {
        let shown = count > limit ? String(prefix(limit)).debugEscaped + "…" : debugEscaped
        return "\"" + shown + "\""
    }
}
