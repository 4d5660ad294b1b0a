import Basics

/// A `host:port` the root returned, or the root's own address.
public struct ServerAddress: Sendable, Hashable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Splits on the LAST `:` (PROTOCOL.md §2); the port must be 1–65535, the host non-empty.
    /// IPv6 hosts may be bracketed: `[::1]:6464`.
    public init(parsing text: String) throws(AddressError) {
        do {
            (host, port) = try HostPort.split(text, ports: 1...65535, bareIPv6: true)
        } catch {
            throw AddressError(text: text, problem: error.why)
        }
        guard !host.isEmpty else { throw AddressError(text: text, problem: "empty host") }
    }

    public var description: String { HostPort.format(host: host, port: port) }
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
