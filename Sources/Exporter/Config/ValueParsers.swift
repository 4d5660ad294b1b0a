import AtStatus
import Basics

/// Text-to-value conversions shared by flags, the config file and the atSigns file, so a value
/// means the same and fails with the same words wherever it is written.
enum ValueParsers {
    static func duration(_ text: String, minimum: Duration = .zero) throws(ValueProblemError) -> Duration {
        let parsed: PrometheusDuration
        do {
            parsed = try PrometheusDuration(parsing: text)
        } catch {
            throw ValueProblemError(what: "invalid duration \"\(text)\"", why: error.reason)
        }
        guard parsed.duration > minimum else {
            throw ValueProblemError(
                what: "invalid duration \"\(text)\"", why: "it must be more than \(minimum.prometheusDescription)")
        }
        return parsed.duration
    }

    static func integer(_ text: String, in range: ClosedRange<Int>) throws(ValueProblemError) -> Int {
        guard let value = Int(text) else {
            throw ValueProblemError(what: "invalid number \"\(text)\"", why: "it is not an integer")
        }
        guard range.contains(value) else {
            let upper = range.upperBound == Int.max ? "" : "-\(range.upperBound)"
            throw ValueProblemError(
                what: "invalid number \"\(text)\"", why: "it is out of range \(range.lowerBound)\(upper)")
        }
        return value
    }

    /// The spellings Go's `strconv.ParseBool` accepts, so Prometheus users' habits work.
    static func boolean(_ text: String) throws(ValueProblemError) -> Bool {
        switch text {
        case "true", "TRUE", "True", "t", "T", "1": return true
        case "false", "FALSE", "False", "f", "F", "0": return false
        default: throw ValueProblemError(what: "invalid boolean \"\(text)\"", why: "expected true or false")
        }
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ text: String, of _: T.Type, what: String)
        throws(ValueProblemError) -> T where T.RawValue == String
    {
        if let value = T(rawValue: text) { return value }
        let choices = T.allCases.map(\.rawValue).joined(separator: ", ")
        throw ValueProblemError(what: "invalid \(what) \"\(text)\"", why: "expected one of \(choices)")
    }

    static func atSign(_ text: String) throws(ValueProblemError) -> AtSign {
        do {
            return try AtSign(text)
        } catch {
            throw ValueProblemError(what: "invalid atSign \"\(text.debugEscaped)\"", why: reason(error.problem))
        }
    }

    /// The AtStatus wording without its quoted input, which the caller places with the origin.
    private static func reason(_ problem: AtSignError.Problem) -> String {
        switch problem {
        case .empty: return "the name after @ is empty"
        case .whitespace: return "it holds whitespace"
        case .controlCharacter(let value):
            return "it holds the control character U+\(String(value, radix: 16, uppercase: true))"
        case .forbidden(let character): return "it holds a forbidden '\(character)'"
        case .tooLong(let units): return AtSignError.tooLongReason(units)
        }
    }

    static func path(_ text: String, what: String) throws(ValueProblemError) -> String {
        guard !text.isEmpty else { throw ValueProblemError(what: "invalid \(what) \"\"", why: "it is empty") }
        return text
    }

    static func telemetryPath(_ text: String) throws(ValueProblemError) -> String {
        let what = "invalid telemetry path \"\(text.debugEscaped)\""
        guard text.hasPrefix("/"), text.count > 1 else {
            throw ValueProblemError(what: what, why: "it must start with / and not be / (the landing page)")
        }
        if let bad = text.unicodeScalars.first(where: { $0.value <= 0x20 || $0 == "?" || $0 == "#" }) {
            throw ValueProblemError(what: what, why: "it holds a forbidden \"\(bad.escaped(asASCII: true))\"")
        }
        return text
    }

    /// A DNS suffix such as `atsign.wtf`, lowercased; a leading `.` or `*.` is dropped.
    static func domain(_ text: String) throws(ValueProblemError) -> String {
        var name = Substring(text.lowercased())
        if name.hasPrefix("*.") { name = name.dropFirst(2) } else if name.hasPrefix(".") { name = name.dropFirst() }
        let what = "invalid domain \"\(text.debugEscaped)\""
        guard !name.isEmpty, !name.hasSuffix("."), !name.contains("..") else {
            throw ValueProblemError(what: what, why: "expected a name such as atsign.wtf")
        }
        if let bad = name.first(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".")) }) {
            throw ValueProblemError(what: what, why: "it holds a forbidden \"\(bad)\"")
        }
        return String(name)
    }
}
