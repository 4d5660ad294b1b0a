/// A value read from a web config file, JSON or YAML alike, with the line it starts on so that
/// errors can point at it.
struct ConfigNode: Sendable, Equatable {
    enum Value: Sendable, Equatable {
        /// YAML `~`/`null`/nothing, JSON `null`.
        case null
        /// Strings, numbers and booleans alike, as written (JSON strings unescaped).
        case scalar(String)
        case list([ConfigNode])
        /// In file order; keys are unique (the parsers refuse duplicates).
        case mapping([ConfigEntry])
    }

    var value: Value
    var line: Int

    init(_ value: Value, line: Int) {
        self.value = value
        self.line = line
    }

    /// What a value is, for "expected a mapping, found a list" messages.
    var kind: String {
        switch value {
        case .null: "nothing"
        case .scalar: "a single value"
        case .list: "a list"
        case .mapping: "a mapping"
        }
    }
}

struct ConfigEntry: Sendable, Equatable {
    var key: String
    var node: ConfigNode
}

/// A syntax error at a line of the file; `WebConfig` adds the file's name.
struct ConfigSyntaxError: Error, Equatable {
    var line: Int
    var message: String
}
