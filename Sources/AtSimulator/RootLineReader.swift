import Foundation

/// Accumulates what a root client sends and cuts it into keys the way the root does: every
/// byte up to the last newline is ONE key (so two pipelined lines become a single bogus key),
/// and a line that does not fit the root's buffer, newline included, means the client is dropped.
struct RootLineReader {
    /// The root's line buffer, in UTF-16 code units (a Dart `StringBuffer(capacity: 255)` of the
    /// decoded text), the `\n` that ends a key included.
    static let limit = 255

    enum Outcome: Equatable {
        case key(String)
        case needMore
        case tooLong
    }

    private var buffer: [UInt8] = []

    mutating func append(_ bytes: [UInt8]) { buffer += bytes }

    /// The next key, trimmed of whitespace, or what to do instead.
    mutating func next() -> Outcome {
        guard let newline = buffer.lastIndex(of: UInt8(ascii: "\n")) else {
            return Self.units(buffer[...]) > Self.limit ? .tooLong : .needMore
        }
        let line = buffer[...newline]
        buffer.removeSubrange(...newline)
        guard Self.units(line) <= Self.limit else { return .tooLong }
        let text = String(decoding: line, as: UTF8.self)
        return .key(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func units(_ bytes: ArraySlice<UInt8>) -> Int {
        String(decoding: bytes, as: UTF8.self).utf16.count
    }
}

/// Splits an atServer client's bytes into command lines (`\n` or `\r\n` ended).
struct CommandLineReader {
    /// A command line longer than this without a newline gets the client dropped.
    static let limit = 64 * 1024

    private var buffer: [UInt8] = []

    mutating func append(_ bytes: [UInt8]) { buffer += bytes }

    var isOverLimit: Bool { buffer.count > Self.limit }

    mutating func nextLine() -> String? {
        guard let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        var line = buffer[..<newline]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        buffer.removeSubrange(...newline)
        return String(decoding: line, as: UTF8.self)
    }
}
