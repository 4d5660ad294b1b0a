/// Bad configuration: a flag, the config file, the atSigns file or a combination of settings.
/// The message names what was wrong and where; the caller prints it and exits with status 2.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// Where a value came from, phrased to sit between what is wrong and why, e.g.
/// `invalid duration "10x" for --probe.timeout: unknown unit "x"`.
enum ValueOrigin: Sendable, Equatable {
    case flag(String)
    case argument(Int)
    case configKey(file: String, key: String)
    case configElement(file: String, key: String, index: Int)
    case fileLine(file: String, line: Int)

    var phrase: String {
        switch self {
        case .flag(let name): return "for --\(name)"
        case .argument(let position): return "in argument \(position)"
        case .configKey(let file, let key): return "for key \"\(key)\" in \(file)"
        case .configElement(let file, let key, let index): return "at index \(index) of \"\(key)\" in \(file)"
        case .fileLine(let file, let line): return "at \(file) line \(line)"
        }
    }
}

extension ValueProblemError {
    /// The message with the origin between what is wrong and why.
    func error(at origin: ValueOrigin) -> ConfigError {
        ConfigError("\(what) \(origin.phrase): \(why)")
    }
}
