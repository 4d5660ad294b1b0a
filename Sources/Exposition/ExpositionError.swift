/// Why a metric name, label name, family or histogram was refused.
///
/// Each description quotes what was wrong so the caller can log it as is.
public enum ExpositionError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidMetricName(name: String, reason: String)
    case invalidLabelName(name: String, reason: String)
    case duplicateLabelName(String)
    case emptyHelp(metric: String)
    case invalidUnit(metric: String, unit: String, reason: String)
    case invalidHistogram(String)

    public var description: String {
        switch self {
        case .invalidMetricName(let name, let reason):
            return "invalid metric name \(quoted(name)): \(reason)"
        case .invalidLabelName(let name, let reason):
            return "invalid label name \(quoted(name)): \(reason)"
        case .duplicateLabelName(let name):
            return "label name \(quoted(name)) appears more than once in one label set"
        case .emptyHelp(let metric):
            return "metric \(quoted(metric)) has an empty HELP text"
        case .invalidUnit(let metric, let unit, let reason):
            return "invalid unit \(quoted(unit)) for metric \(quoted(metric)): \(reason)"
        case .invalidHistogram(let reason):
            return "invalid histogram: \(reason)"
        }
    }
}

/// Quotes a name for an error message, showing control characters visibly.
func quoted(_ text: String) -> String {
    "\"" + text.unicodeScalars.map { $0.escaped(asASCII: false) }.joined() + "\""
}
