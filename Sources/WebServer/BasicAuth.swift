/// A user and password from `Authorization: Basic …` (RFC 7617).
public struct BasicCredentials: Sendable, Equatable {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    /// Parses an `Authorization` value; the error's reason names what was wrong.
    public static func parse(_ header: String) throws(HTTPParseError) -> BasicCredentials {
        let parts = header.trimmingHTTPWhitespace().split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic" else {
            throw HTTPParseError(status: 401, reason: "Authorization scheme must be Basic")
        }
        guard let decoded = Base64.decode(parts[1].trimmingHTTPWhitespace()) else {
            throw HTTPParseError(status: 401, reason: "Authorization Basic credentials are not valid base64")
        }
        guard let colon = decoded.firstIndex(of: UInt8(ascii: ":")) else {
            throw HTTPParseError(status: 401, reason: "Authorization Basic credentials lack the \":\" after the user")
        }
        guard let user = String(validating: decoded[..<colon], as: UTF8.self),
            let password = String(validating: decoded[(colon + 1)...], as: UTF8.self)
        else { throw HTTPParseError(status: 401, reason: "Authorization Basic credentials are not UTF-8") }
        return BasicCredentials(user: user, password: password)
    }
}

/// Checks a user and password. Async, and called on the cooperative pool: an expensive check
/// (bcrypt) must run elsewhere and await it, as `BasicAuthUsers` does.
public typealias Authenticator = @Sendable (_ user: String, _ password: String) async -> Bool

extension HTTPRequest {
    /// The credentials sent, nil when there is no `Authorization` header.
    public func basicCredentials() throws(HTTPParseError) -> BasicCredentials? {
        guard let header = headers["Authorization"] else { return nil }
        return try BasicCredentials.parse(header)
    }

    /// nil when `authenticate` accepts the request's credentials, else the 401 to send.
    public func authorizationFailure(_ authenticate: Authenticator, realm: String = "atsign_exporter") async
        -> HTTPResponse?
    {
        let reason: String
        do {
            guard let credentials = try basicCredentials() else {
                return HTTPRequest.unauthorized("authentication required", realm: realm)
            }
            if await authenticate(credentials.user, credentials.password) { return nil }
            reason = "wrong user or password"
        } catch {
            reason = error.reason
        }
        return HTTPRequest.unauthorized(reason, realm: realm)
    }

    private static func unauthorized(_ reason: String, realm: String) -> HTTPResponse {
        var response = HTTPResponse.text("401 Unauthorized: \(reason)\n", status: 401)
        response.headers.set("WWW-Authenticate", "Basic realm=\"\(realm)\", charset=\"UTF-8\"")
        return response
    }
}

/// Standard base64 with padding (RFC 4648 §4), strict: no whitespace, no missing padding.
enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 4 * 3)
        for start in stride(from: 0, to: input.count, by: 4) {
            let quad = input[start..<start + 4]
            let padding = quad.reversed().prefix { $0 == UInt8(ascii: "=") }.count
            guard padding <= 2, padding == 0 || start + 4 == input.count else { return nil }
            var value: UInt32 = 0
            for byte in quad.dropLast(padding) {
                guard let sextet = sextet(byte) else { return nil }
                value = value << 6 | UInt32(sextet)
            }
            value <<= UInt32(6 * padding)
            let bytes = [UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
            output.append(contentsOf: bytes.prefix(3 - padding))
        }
        return output
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}
