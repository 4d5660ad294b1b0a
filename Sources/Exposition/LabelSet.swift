/// A set of labels escaped and rendered once, at creation, into the exposition's bytes.
///
/// A scrape then only copies these bytes, so 100,000 atSigns × 30 series cost no escaping.
/// Labels are kept sorted by name (as Prometheus and client_golang do), so one set of labels
/// always has one rendering and duplicates are found by comparing bytes.
///
/// The bytes are stored as up to two shared segments, each a run of `,name="value"` pairs:
/// `atsignLabels.appending(statusFound)` shares both buffers instead of copying them, which
/// keeps the per-atSign memory small when every atSign has ~30 label sets.
public struct LabelSet: Sendable, Hashable, Comparable, CustomStringConvertible {
    let first: [UInt8]
    let second: [UInt8]

    public static let empty = LabelSet(first: [], second: [])

    init(first: [UInt8], second: [UInt8]) {
        self.first = first
        self.second = second
    }

    /// Builds a set from name/value pairs, e.g. `try LabelSet(["atsign": "@alice"])`.
    public init(_ pairs: KeyValuePairs<String, String>) throws(ExpositionError) {
        try self.init(pairs: pairs.map { ($0.key, $0.value) })
    }

    /// Builds a set from name/value pairs in any order; names are validated and must be unique.
    public init(pairs: [(String, String)]) throws(ExpositionError) {
        for (name, _) in pairs { try validateLabelName(name) }
        let sorted = pairs.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(sorted.reduce(0) { $0 + $1.0.utf8.count + $1.1.utf8.count + 4 })
        for (index, (name, value)) in sorted.enumerated() {
            if index > 0 && sorted[index - 1].0 == name { throw .duplicateLabelName(name) }
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: name.utf8)
            bytes.appendLiteral("=\"")
            appendEscaped(value, to: &bytes, escapeQuote: true)
            bytes.append(UInt8(ascii: "\""))
        }
        self.init(first: bytes, second: [])
    }

    /// This set and `other` together; throws when they share a label name.
    ///
    /// When every name of `other` sorts after every name of `self` and both are single
    /// segments, the result shares both buffers; otherwise the pairs are merged into a new one.
    public func appending(_ other: LabelSet) throws(ExpositionError) -> LabelSet {
        if other.isEmpty { return self }
        if isEmpty { return other }
        if second.isEmpty && other.second.isEmpty, let mine = pairNameBounds(first),
            let theirs = pairNameBounds(other.first),
            first[mine.last].lexicographicallyPrecedes(other.first[theirs.first])
        {
            return LabelSet(first: first, second: other.first)
        }
        let mine = pairs()
        let theirs = other.pairs()
        let merged = (mine + theirs).sorted { $0.name.lexicographicallyPrecedes($1.name) }
        var bytes: [UInt8] = []
        for (index, pair) in merged.enumerated() {
            if index > 0 && merged[index - 1].name.elementsEqual(pair.name) {
                throw .duplicateLabelName(String(decoding: pair.name, as: UTF8.self))
            }
            bytes.append(UInt8(ascii: ","))
            bytes.append(contentsOf: pair.name)
            bytes.appendLiteral("=\"")
            bytes.append(contentsOf: pair.escapedValue)
            bytes.append(UInt8(ascii: "\""))
        }
        return LabelSet(first: bytes, second: [])
    }

    public var isEmpty: Bool { first.isEmpty && second.isEmpty }

    /// Bytes this set adds to a sample line, braces included.
    public var renderedCount: Int { isEmpty ? 0 : first.count + second.count + 1 }

    /// The rendering as it appears in the exposition, e.g. `{atsign="@alice",status="found"}`.
    public var description: String {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `{…}`, or nothing for the empty set.
    @inline(__always)
    func write(to output: inout [UInt8]) {
        if isEmpty { return }
        output.append(UInt8(ascii: "{"))
        writeContent(to: &output)
        output.append(UInt8(ascii: "}"))
    }

    /// Appends `{…,le="bound"}`: the set with one extra label rendered last, as client_golang does.
    func write(to output: inout [UInt8], extraName: StaticString, number: Double, style: NumberStyle) {
        output.append(UInt8(ascii: "{"))
        if !isEmpty {
            writeContent(to: &output)
            output.append(UInt8(ascii: ","))
        }
        output.appendLiteral(extraName)
        output.appendLiteral("=\"")
        output.appendNumber(number, style: style)
        output.appendLiteral("\"}")
    }

    /// The pairs without braces and without the leading comma. Copies through unsafe buffers:
    /// an `ArraySlice` would retain and release the storage for every series.
    @inline(__always)
    private func writeContent(to output: inout [UInt8]) {
        if first.isEmpty {
            second.withUnsafeBufferPointer { output.append(contentsOf: UnsafeBufferPointer(rebasing: $0[1...])) }
        } else {
            first.withUnsafeBufferPointer { output.append(contentsOf: UnsafeBufferPointer(rebasing: $0[1...])) }
            second.withUnsafeBufferPointer { output.append(contentsOf: $0) }
        }
    }

    public static func == (lhs: LabelSet, rhs: LabelSet) -> Bool {
        labelBytesEqual(lhs, rhs)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(first.count + second.count)
        for byte in first { hasher.combine(byte) }
        for byte in second { hasher.combine(byte) }
    }

    /// Orders by label values, in label-name order; a value sorts before any longer value it
    /// begins. Sets with different label names are ordered by their bytes, deterministically.
    public static func < (lhs: LabelSet, rhs: LabelSet) -> Bool {
        compareLabelBytes(lhs, rhs) < 0
    }
}
