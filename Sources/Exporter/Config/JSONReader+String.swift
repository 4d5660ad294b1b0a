extension JSONReader {
    /// A quoted string with its escapes; the opening quote is at `position`.
    mutating func string() throws(JSONSyntaxError) -> String {
        position += 1
        var scalars = String.UnicodeScalarView()
        var start = position
        while true {
            guard position < bytes.count else { throw failure("a string is not closed") }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                try appendUTF8(bytes[start..<position], to: &scalars)
                position += 1
                if byte == UInt8(ascii: "\"") { return String(scalars) }
                scalars.append(try escape())
                start = position
            } else if byte < 0x20 {
                throw failure("a string holds a raw control character (byte \(byte)); escape it")
            } else {
                position += 1
            }
        }
    }

    private func appendUTF8(_ slice: ArraySlice<UInt8>, to scalars: inout String.UnicodeScalarView)
        throws(JSONSyntaxError)
    {
        guard let text = String(validating: slice, as: UTF8.self) else { throw failure("a string is not valid UTF-8") }
        scalars.append(contentsOf: text.unicodeScalars)
    }

    /// The character after a backslash, which is at `position - 1`.
    private mutating func escape() throws(JSONSyntaxError) -> Unicode.Scalar {
        guard position < bytes.count else { throw failure("a string is not closed") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return Unicode.Scalar(byte)
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try hexQuad()
            guard (0xD800...0xDBFF).contains(first) else {
                guard let scalar = Unicode.Scalar(first) else { throw failure("a lone low surrogate \\u escape") }
                return scalar
            }
            guard bytes.count - position >= 2, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else { throw failure("a high surrogate \\u escape without its low half") }
            position += 2
            let second = try hexQuad()
            guard (0xDC00...0xDFFF).contains(second),
                let scalar = Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
            else { throw failure("a high surrogate \\u escape without its low half") }
            return scalar
        default:
            position -= 1
            throw failure("unknown escape \"\\\(Character(Unicode.Scalar(byte)))\" in a string")
        }
    }

    private mutating func hexQuad() throws(JSONSyntaxError) -> UInt32 {
        guard bytes.count - position >= 4,
            bytes[position..<position + 4].allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
            let value = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16)
        else { throw failure("\\u must be followed by four hex digits") }
        position += 4
        return value
    }
}
