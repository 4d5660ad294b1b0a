/// A `host:port` the root returned, or the root's own address.
public struct ServerAddress: Sendable, Hashable, Codable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Splits on the LAST `:` (PROTOCOL.md §2); the port must be 1–65535, the host non-empty.
    /// IPv6 hosts may be bracketed: `[::1]:6464`.
    public init(parsing text: String) throws(AddressError) {
        guard let colon = text.lastIndex(of: ":") else { throw AddressError(text: text, problem: "no ':port'") }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw AddressError(text: text, problem: "empty host") }
        // `[[x]]:1` would give host `[x]`, whose description `[x]:1` parses back as host `x`.
        guard !host.contains(where: { $0 == "[" || $0 == "]" }) else {
            throw AddressError(text: text, problem: "brackets may only enclose the whole host, as in [::1]:6464")
        }
        guard host.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw AddressError(text: text, problem: "host holds spaces or non-ASCII characters")
        }
        guard portText.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(portText), (1...65535).contains(port)
        else {
            throw AddressError(text: text, problem: "port must be a number from 1 to 65535")
        }
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// The root to ask: an atRoot directory, or a proxy that routes every atSign (`proxy:host:port`).
public enum RootAddress: Sendable, Hashable, CustomStringConvertible {
    case directory(ServerAddress)
    case proxy(ServerAddress)

    public static let `default` = RootAddress.directory(ServerAddress(host: "root.atsign.org", port: 64))

    public init(parsing text: String) throws(AddressError) {
        if text.hasPrefix("proxy:") {
            self = .proxy(try ServerAddress(parsing: String(text.dropFirst("proxy:".count))))
        } else {
            self = .directory(try ServerAddress(parsing: text))
        }
    }

    public var address: ServerAddress {
        switch self {
        case .directory(let address), .proxy(let address): address
        }
    }

    public var description: String {
        switch self {
        case .directory(let address): address.description
        case .proxy(let address): "proxy:\(address)"
        }
    }
}

public struct AddressError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public let problem: String

    public var description: String { "invalid address \"\(text.debugEscaped)\": \(problem)" }
}
