import Basics

/// A validated, normalised atSign such as `@alice`.
///
/// Normalisation trims whitespace, adds the leading `@` and lowercases (PROTOCOL.md §1): the
/// Dart library keeps the case and then reports `@Alice` as a teapot, which we deliberately fix.
public struct AtSign: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The normalised form with its `@`, e.g. `@alice`.
    public let name: String

    /// The longest key (the name without `@`) the root accepts, in UTF-16 code units: its line
    /// buffer holds 255 units with the `\n` that ends the key (PROTOCOL.md §1); a longer key
    /// gets the connection dropped without a reply.
    public static let maximumKeyLength = 254

    public init(_ input: String) throws(AtSignError) {
        let trimmed = input.trimmingWhitespace()
        var body = Substring(trimmed)
        if body.hasPrefix("@") { body = body.dropFirst() }
        guard !body.isEmpty else { throw AtSignError(input: input, problem: .empty) }
        for scalar in body.unicodeScalars {
            if scalar.properties.isWhitespace { throw AtSignError(input: input, problem: .whitespace) }
            if scalar.properties.generalCategory == .control {
                throw AtSignError(input: input, problem: .controlCharacter(scalar.value))
            }
            switch scalar {
            case "@": throw AtSignError(input: input, problem: .forbidden("@"))
            case ":": throw AtSignError(input: input, problem: .forbidden(":"))
            case "\"": throw AtSignError(input: input, problem: .forbidden("\""))
            default: break
            }
        }
        let normalised = "@" + body.lowercased()
        let units = normalised.utf16.count - 1
        guard units <= Self.maximumKeyLength else { throw AtSignError(input: input, problem: .tooLong(units)) }
        name = normalised
    }

    /// The name without `@`: what the root is sent.
    public var withoutPrefix: Substring { name.dropFirst() }

    public var description: String { name }

    public static func < (lhs: AtSign, rhs: AtSign) -> Bool { lhs.name < rhs.name }
}

/// Why an input is not an atSign; the message quotes the input so the user can find it.
public struct AtSignError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case empty
        case whitespace
        case controlCharacter(UInt32)
        case forbidden(Character)
        /// How long the name is, in UTF-16 code units (what the root counts).
        case tooLong(Int)
    }

    /// The words for `tooLong`, shared with the config loader's messages.
    public static func tooLongReason(_ units: Int) -> String {
        "\(units) characters long (UTF-16 code units, as the root counts), at most \(AtSign.maximumKeyLength) allowed"
    }

    public let input: String
    public let problem: Problem

    public var description: String {
        let quoted = "\"\(input.debugEscaped)\""
        switch problem {
        case .empty: return "invalid atSign \(quoted): the name after @ is empty"
        case .whitespace: return "invalid atSign \(quoted): it holds whitespace"
        case .controlCharacter(let value):
            return
                "invalid atSign \(quoted): it holds the control character U+\(String(value, radix: 16, uppercase: true))"
        case .forbidden(let character): return "invalid atSign \(quoted): it holds a forbidden '\(character)'"
        case .tooLong(let units): return "invalid atSign \(quoted): \(AtSignError.tooLongReason(units))"
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
