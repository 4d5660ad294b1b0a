/// A tiny ordered JSON object writer: reports keep the field order INTERFACE.md shows, which
/// JSONEncoder does not promise.
struct JSONWriter {
    private(set) var text = "{"
    private var first = true

    mutating func field(_ key: String, _ value: String?) {
        guard let value else { return }
        self.key(key)
        text += JSONWriter.quoted(value)
    }

    mutating func field(_ key: String, _ value: Int) {
        self.key(key)
        text += String(value)
    }

    mutating func field(_ key: String, _ value: Double?) {
        guard let value, value.isFinite else { return }
        self.key(key)
        text += formatNumber(value)
    }

    mutating func field(_ key: String, _ value: Bool) {
        self.key(key)
        text += value ? "true" : "false"
    }

    mutating func field(_ key: String, object: JSONWriter) {
        self.key(key)
        text += object.finished
    }

    var finished: String { text + "}" }

    private mutating func key(_ key: String) {
        if !first { text += "," }
        first = false
        text += JSONWriter.quoted(key) + ":"
    }

    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Shortest round-trip decimal; whole numbers without a fraction.
    private func formatNumber(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
