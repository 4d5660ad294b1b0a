/// A value read from a config file, YAML or JSON alike, with the line it starts on so that
/// errors can point at it.
public struct ConfigNode: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        /// YAML `~`, `null` or nothing; JSON `null`.
        case null
        /// Strings, numbers and booleans, as written (escapes resolved). `quoted` tells a JSON
        /// string `"true"` from the boolean `true`.
        case scalar(String, quoted: Bool)
        case list([ConfigNode])
        /// In file order; keys are unique (the reader refuses duplicates).
        case mapping([ConfigEntry])
    }

    public var value: Value
    /// 1-based.
    public var line: Int

    public init(_ value: Value, line: Int) {
        self.value = value
        self.line = line
    }

    /// What a value is, for "expected a mapping, found a list" messages.
    public var kind: String {
        switch value {
        case .null: "nothing"
        case .scalar: "a single value"
        case .list: "a list"
        case .mapping: "a mapping"
        }
    }
}

public struct ConfigEntry: Sendable, Equatable {
    public var key: String
    /// The key's line, which is the value's too unless the value starts on a later line.
    public var line: Int
    public var node: ConfigNode

    public init(key: String, line: Int, node: ConfigNode) {
        self.key = key
        self.line = line
        self.node = node
    }
}

/// Text that is not the syntax asked for, at a 1-based line and column; callers add the file.
public struct ConfigSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line) column \(column): \(message)" }
}
