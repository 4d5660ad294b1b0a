/// Checks a metric name against `[a-zA-Z_:][a-zA-Z0-9_:]*`, the rule of both formats.
public func validateMetricName(_ name: String) throws(ExpositionError) {
    if let reason = nameProblem(name, allowColon: true) {
        throw .invalidMetricName(name: name, reason: reason)
    }
}

/// Checks a label name against `[a-zA-Z_][a-zA-Z0-9_]*` and refuses the reserved `__` prefix.
public func validateLabelName(_ name: String) throws(ExpositionError) {
    if let reason = nameProblem(name, allowColon: false) {
        throw .invalidLabelName(name: name, reason: reason)
    }
    if name.utf8.starts(with: "__".utf8) {
        throw .invalidLabelName(name: name, reason: "names starting with \"__\" are reserved for Prometheus")
    }
}

/// The first rule the name breaks, or nil; the reason names the offending character and its offset.
private func nameProblem(_ name: String, allowColon: Bool) -> String? {
    guard !name.isEmpty else { return "it is empty" }
    for (offset, scalar) in name.unicodeScalars.enumerated() {
        let value = scalar.value
        let letter = (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A)
        let digit = value >= 0x30 && value <= 0x39
        let allowed = letter || scalar == "_" || (allowColon && scalar == ":") || (digit && offset > 0)
        if !allowed {
            let first = allowColon ? "a letter, '_' or ':'" : "a letter or '_'"
            let rest = allowColon ? "letters, digits, '_' and ':'" : "letters, digits and '_'"
            let rule = offset == 0 ? "it must start with \(first)" : "it may hold only \(rest)"
            return "\(rule), found '\(scalar.escaped(asASCII: false))' at offset \(offset)"
        }
    }
    return nil
}
