import Basics

extension HTTPRequestParser {
    /// Parses a complete head: the request line and header lines, each ending in CRLF (the
    /// scanner has already checked line ends and sizes).
    static func parseHead(_ head: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPRequest {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = head.startIndex
        for index in head.indices where head[index] == UInt8(ascii: "\n") {
            lines.append(head[lineStart..<index - 1])
            lineStart = index + 1
        }
        if lineStart < head.endIndex { lines.append(head[lineStart...]) }
        guard let requestLine = lines.first else { throw .bad("empty request") }
        let (method, target, version) = try parseRequestLine(requestLine)
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            let (name, value) = try parseHeaderLine(line)
            headers.add(name, value)
        }
        if headers.values("Host").count > 1 { throw .bad("more than one Host header") }
        return try HTTPRequest(method: method, target: target, version: version, headers: headers)
    }

    static func parseRequestLine(
        _ line: ArraySlice<UInt8>
    ) throws(HTTPParseError) -> (method: String, target: String, version: HTTPVersion) {
        let text = String(decoding: line, as: UTF8.self)
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .bad("malformed request line: \(text.quotedForMessage())")
        }
        guard parts[0].allSatisfy(isTokenByte) else {
            throw .bad("invalid method in request line: \(text.quotedForMessage())")
        }
        guard parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .bad("invalid character in request target: \(text.quotedForMessage())")
        }
        let versionText = String(decoding: parts[2], as: UTF8.self)
        guard let version = HTTPVersion(rawValue: versionText) else {
            if looksLikeHTTPVersion(parts[2]) {
                throw HTTPParseError(status: 505, reason: "HTTP version not supported: \(versionText)")
            }
            throw .bad("malformed HTTP version in request line: \(text.quotedForMessage())")
        }
        return (String(decoding: parts[0], as: UTF8.self), String(decoding: parts[1], as: UTF8.self), version)
    }

    static func parseHeaderLine(_ line: ArraySlice<UInt8>) throws(HTTPParseError) -> (String, String) {
        let text = String(decoding: line, as: UTF8.self)
        if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") {
            throw .bad("obsolete line folding is not allowed: \(text.quotedForMessage())")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw .bad("header line without a colon: \(text.quotedForMessage())")
        }
        let name = line[..<colon]
        guard !name.isEmpty, name.allSatisfy(isTokenByte) else {
            throw .bad("invalid header name: \(text.quotedForMessage())")
        }
        let value = line[(colon + 1)...]
        guard value.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
            throw .bad("invalid character in header \(String(decoding: name, as: UTF8.self))")
        }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self).trimmingHTTPWhitespace())
    }

    /// `HTTP/d.d`: a version this server could name but does not speak (505, not 400).
    static func looksLikeHTTPVersion(_ bytes: ArraySlice<UInt8>) -> Bool {
        let text = Array(bytes)
        return text.count == 8 && text[0..<5].elementsEqual("HTTP/".utf8) && isDigit(text[5]) && text[6] == 0x2E
            && isDigit(text[7])
    }

    /// tchar of RFC 9110 §5.6.2.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
