import Basics

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
            return "invalid metric name \(name.quotedForMessage()): \(reason)"
        case .invalidLabelName(let name, let reason):
            return "invalid label name \(name.quotedForMessage()): \(reason)"
        case .duplicateLabelName(let name):
            return "label name \(name.quotedForMessage()) appears more than once in one label set"
        case .emptyHelp(let metric):
            return "metric \(metric.quotedForMessage()) has an empty HELP text"
        case .invalidUnit(let metric, let unit, let reason):
            return "invalid unit \(unit.quotedForMessage()) for metric \(metric.quotedForMessage()): \(reason)"
        case .invalidHistogram(let reason):
            return "invalid histogram: \(reason)"
        }
    }
}
