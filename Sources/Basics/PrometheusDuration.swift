/// A duration written the Prometheus way (`500ms`, `1h30m`, `2w`), so flags and config files read
/// like `prometheus.yml`: units `y w d h m s ms` in decreasing order, each at most once, integer
/// amounts (Prometheus `model.ParseDuration`). Millisecond resolution, never negative.
public struct PrometheusDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let milliseconds: Int64

    /// The units with their length in milliseconds, largest first: parsing requires this order.
    static let units: [(name: String, milliseconds: Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// Prometheus keeps durations in Go's `time.Duration` (Int64 nanoseconds): about 292 years.
    static let maximumMilliseconds = Int64.max / 1_000_000

    public init(milliseconds: Int64) {
        self.milliseconds = max(0, min(milliseconds, Self.maximumMilliseconds))
    }

    /// Truncates below a millisecond, as Prometheus does when it prints a duration.
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        self.init(milliseconds: overflow ? Int64.max : whole + attoseconds / 1_000_000_000_000_000)
    }

    public init(parsing text: String) throws(DurationError) {
        if text == "0" {
            self.init(milliseconds: 0)
            return
        }
        guard !text.isEmpty else { throw DurationError(input: text, reason: "it is empty") }
        var rest = Substring(text)
        var total: Int64 = 0
        var previousUnit = -1
        while !rest.isEmpty {
            let (amount, unit) = try Self.nextTerm(of: &rest, in: text)
            guard unit > previousUnit else {
                throw DurationError(
                    input: text,
                    reason: "unit \"\(Self.units[unit].name)\" is repeated or out of order: "
                        + "write units from y down to ms, each at most once")
            }
            previousUnit = unit
            let (product, overflow) = amount.multipliedReportingOverflow(by: Self.units[unit].milliseconds)
            let (sum, overflowSum) = total.addingReportingOverflow(product)
            guard !overflow, !overflowSum, sum <= Self.maximumMilliseconds else {
                throw DurationError(input: text, reason: "it is too long (at most 292y)")
            }
            total = sum
        }
        self.init(milliseconds: total)
    }

    /// Reads one `<digits><unit>` term; returns the amount and the index of the unit.
    private static func nextTerm(of rest: inout Substring, in text: String) throws(DurationError) -> (Int64, Int) {
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        rest = rest.dropFirst(digits.count)
        let unit = rest.prefix { $0.isASCII && $0.isLetter }
        rest = rest.dropFirst(unit.count)
        let known = units.map(\.name).joined(separator: ", ")
        if digits.isEmpty {
            if text.hasPrefix("-") { throw DurationError(input: text, reason: "it is negative") }
            if unit.isEmpty, let next = rest.first {
                throw DurationError(input: text, reason: "unexpected character \"\(next)\"")
            }
            throw DurationError(input: text, reason: "missing number before unit \"\(unit)\"")
        }
        if unit.isEmpty {
            if rest.first == "." {
                throw DurationError(
                    input: text, reason: "fractions are not allowed, use a smaller unit (1500ms, not 1.5s)")
            }
            if let next = rest.first { throw DurationError(input: text, reason: "unexpected character \"\(next)\"") }
            throw DurationError(input: text, reason: "missing unit after \(digits) (one of \(known))")
        }
        guard let index = units.firstIndex(where: { $0.name == unit }) else {
            throw DurationError(input: text, reason: "unknown unit \"\(unit)\" (one of \(known))")
        }
        guard let amount = Int64(digits) else {
            throw DurationError(input: text, reason: "it is too long (at most 292y)")
        }
        return (amount, index)
    }

    public var duration: Duration { .milliseconds(milliseconds) }

    /// Formats like Prometheus: years and weeks only when exact (`90d` reads better than `12w6d`).
    public var description: String {
        guard milliseconds > 0 else { return "0s" }
        var rest = milliseconds
        var out = ""
        for (name, length) in Self.units {
            if (name == "y" || name == "w") && rest % length != 0 { continue }
            let amount = rest / length
            if amount > 0 {
                out += "\(amount)\(name)"
                rest -= amount * length
            }
        }
        return out
    }

    public static func < (lhs: PrometheusDuration, rhs: PrometheusDuration) -> Bool {
        lhs.milliseconds < rhs.milliseconds
    }
}

extension Duration {
    /// This duration as Prometheus writes it, e.g. `1m30s`.
    public var prometheusDescription: String { PrometheusDuration(self).description }
}

/// Why a text is not a Prometheus duration; the caller adds which flag or key held it.
public struct DurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let input: String
    public let reason: String

    public var description: String { "invalid duration \"\(input)\": \(reason)" }
}
