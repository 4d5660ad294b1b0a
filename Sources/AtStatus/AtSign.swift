import Basics

/// A validated, normalised atSign such as `@alice`.
///
/// Normalisation trims whitespace, adds the leading `@` and lowercases (PROTOCOL.md §1): the
/// Dart library keeps the case and then reports `@Alice` as a teapot, which we deliberately fix.
public struct AtSign: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The normalised form with its `@`, e.g. `@alice`.
    public let name: String

    /// The root's line buffer is 255 bytes; a longer key is dropped without a reply.
    public static let maximumUTF8Length = 255

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
        guard normalised.utf8.count - 1 <= Self.maximumUTF8Length else {
            throw AtSignError(input: input, problem: .tooLong(normalised.utf8.count - 1))
        }
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
        case tooLong(Int)
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
        case .tooLong(let bytes):
            return "invalid atSign \(quoted): \(bytes) bytes long, at most \(AtSign.maximumUTF8Length) allowed"
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
