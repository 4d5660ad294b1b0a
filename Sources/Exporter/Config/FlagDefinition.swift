/// One flag: its name, where it applies, how its text becomes a setting and how the setting reads
/// back. The table of these (`FlagTable.all`) is the single source of truth for parsing, the
/// config file keys, the help text and its defaults.
struct FlagDefinition: Sendable {
    enum Kind: Sendable, Equatable {
        case text, boolean, integer, list

        /// The JSON type a config file must use for this flag, as named in error messages.
        var jsonType: String {
            switch self {
            case .text: return "a string"
            case .boolean: return "true or false"
            case .integer: return "an integer"
            case .list: return "an array of strings"
            }
        }
    }

    typealias Apply = @Sendable (inout Settings, [(text: String, origin: ValueOrigin)]) throws(ConfigError) -> Void

    let name: String
    let kind: Kind
    /// What the value is, for the help text (`DURATION`); empty for booleans.
    let valueName: String
    let help: String
    let commands: Set<Subcommand>
    /// The key in the config file; nil when the flag cannot be set there.
    let configKey: String?
    /// Whether a reload applies a change of this setting without a restart.
    let reloadable: Bool
    /// Gets every value given (one for a scalar) and sets the setting; a list replaces the default.
    let apply: Apply
    /// The setting as text: help shows it for `Settings()`, reload compares it.
    let current: @Sendable (Settings) -> String

    var repeatable: Bool { kind == .list }
}

/// How the table entries are built: a key path, a parser and a printer per flag.
struct FlagSpec: Sendable {
    var commands: Set<Subcommand> = [.serve]
    var configKey: String?? = .none
    var reloadable = false
}

extension FlagDefinition {
    static func scalar<T>(
        _ name: String, _ kind: Kind, _ valueName: String, _ help: String, _ spec: FlagSpec = FlagSpec(),
        keyPath: WritableKeyPath<Settings, T> & Sendable,
        parse: @escaping @Sendable (String) throws(ValueProblemError) -> T,
        show: @escaping @Sendable (T) -> String
    ) -> FlagDefinition {
        FlagDefinition(
            name: name, kind: kind, valueName: valueName, help: help, commands: spec.commands,
            configKey: spec.configKey ?? name, reloadable: spec.reloadable,
            apply: { (settings: inout Settings, values) throws(ConfigError) in
                for value in values {
                    do throws(ValueProblemError) {
                        settings[keyPath: keyPath] = try parse(value.text)
                    } catch {
                        throw error.error(at: value.origin)
                    }
                }
            },
            current: { show($0[keyPath: keyPath]) })
    }

    static func list<T>(
        _ name: String, _ valueName: String, _ help: String, _ spec: FlagSpec = FlagSpec(),
        keyPath: WritableKeyPath<Settings, [T]> & Sendable,
        parse: @escaping @Sendable (String) throws(ValueProblemError) -> T,
        show: @escaping @Sendable (T) -> String
    ) -> FlagDefinition {
        FlagDefinition(
            name: name, kind: .list, valueName: valueName, help: help, commands: spec.commands,
            configKey: spec.configKey ?? name, reloadable: spec.reloadable,
            apply: { (settings: inout Settings, values) throws(ConfigError) in
                var parsed: [T] = []
                for value in values {
                    do throws(ValueProblemError) {
                        parsed.append(try parse(value.text))
                    } catch {
                        throw error.error(at: value.origin)
                    }
                }
                settings[keyPath: keyPath] = parsed
            },
            current: { $0[keyPath: keyPath].map(show).joined(separator: ",") })
    }
}
