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

    /// The same escaping as the JSON log lines.
    static func quoted(_ value: String) -> String { LogLine.jsonString(value) }

    /// Shortest round-trip decimal; whole numbers without a fraction.
    private func formatNumber(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
