/// Byte-level helpers behind `LabelSet`: escaping, comparing and splitting rendered pairs.

/// Escapes `\`, newline and (when asked) `"` as both formats require; other bytes pass through.
func appendEscaped(_ text: String, to output: inout [UInt8], escapeQuote: Bool) {
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "\\"): output.appendLiteral("\\\\")
        case UInt8(ascii: "\n"): output.appendLiteral("\\n")
        case UInt8(ascii: "\"") where escapeQuote: output.appendLiteral("\\\"")
        default: output.append(byte)
        }
    }
}

/// Whether both sets hold the same bytes, wherever their segments split.
func labelBytesEqual(_ lhs: LabelSet, _ rhs: LabelSet) -> Bool {
    let count = lhs.first.count + lhs.second.count
    guard count == rhs.first.count + rhs.second.count else { return false }
    if lhs.first.count == rhs.first.count { return lhs.first == rhs.first && lhs.second == rhs.second }
    for index in 0..<count {
        let left = index < lhs.first.count ? lhs.first[index] : lhs.second[index - lhs.first.count]
        let right = index < rhs.first.count ? rhs.first[index] : rhs.second[index - rhs.first.count]
        if left != right { return false }
    }
    return true
}

/// Negative, zero or positive as `lhs` sorts before, with or after `rhs`.
///
/// Scans the `,name="value"` bytes of both sets; at the first difference inside a value, the
/// side whose value has ended (an unescaped `"`) sorts first, so `a` precedes `a b`.
func compareLabelBytes(_ lhs: LabelSet, _ rhs: LabelSet) -> Int {
    lhs.first.withUnsafeBufferPointer { lhsFirst in
        lhs.second.withUnsafeBufferPointer { lhsSecond in
            rhs.first.withUnsafeBufferPointer { rhsFirst in
                rhs.second.withUnsafeBufferPointer { rhsSecond in
                    compareLabelBytes(
                        SplitBytes(first: lhsFirst, second: lhsSecond),
                        SplitBytes(first: rhsFirst, second: rhsSecond)
                    )
                }
            }
        }
    }
}

/// The two segments of a label set seen as one run of bytes.
private struct SplitBytes {
    let first: UnsafeBufferPointer<UInt8>
    let second: UnsafeBufferPointer<UInt8>

    var count: Int { first.count + second.count }

    @inline(__always)
    subscript(index: Int) -> UInt8 {
        index < first.count ? first[index] : second[index &- first.count]
    }
}

private func compareLabelBytes(_ lhs: SplitBytes, _ rhs: SplitBytes) -> Int {
    var start = 0
    // Segments end on pair boundaries, so a shared leading segment (the same atSign's labels)
    // can be skipped whole.
    if lhs.first.count == rhs.first.count && lhs.first.baseAddress == rhs.first.baseAddress {
        start = lhs.first.count
    }
    var inValue = false
    var escaped = false
    var index = start
    let common = min(lhs.count, rhs.count)
    while index < common {
        let left = lhs[index]
        let right = rhs[index]
        if left != right {
            if inValue && !escaped {
                if left == UInt8(ascii: "\"") { return -1 }
                if right == UInt8(ascii: "\"") { return 1 }
            }
            return left < right ? -1 : 1
        }
        if inValue {
            if escaped {
                escaped = false
            } else if left == UInt8(ascii: "\\") {
                escaped = true
            } else if left == UInt8(ascii: "\"") {
                inValue = false
            }
        } else if left == UInt8(ascii: "\"") {
            inValue = true
        }
        index += 1
    }
    return lhs.count == rhs.count ? 0 : (lhs.count < rhs.count ? -1 : 1)
}

/// One rendered pair: the name and the value as escaped in the bytes.
struct RenderedPair {
    let name: ArraySlice<UInt8>
    let escapedValue: ArraySlice<UInt8>
}

extension LabelSet {
    /// Splits the rendered bytes back into pairs (names hold no quotes; values no bare quotes).
    func pairs() -> [RenderedPair] {
        var result: [RenderedPair] = []
        for segment in [first, second] {
            var index = segment.startIndex
            while index < segment.endIndex {
                let nameStart = index + 1
                let equals = segment[nameStart...].firstIndex(of: UInt8(ascii: "="))!
                let valueStart = equals + 2
                var end = valueStart
                while segment[end] != UInt8(ascii: "\"") {
                    end += segment[end] == UInt8(ascii: "\\") ? 2 : 1
                }
                result.append(RenderedPair(name: segment[nameStart..<equals], escapedValue: segment[valueStart..<end]))
                index = end + 1
            }
        }
        return result
    }
}

/// Where the last and the first label name of one segment lie, found without allocating:
/// `appending` asks this for every series of every scrape, so it must not build `pairs()`.
func pairNameBounds(_ segment: [UInt8]) -> (first: Range<Int>, last: Range<Int>)? {
    segment.withUnsafeBufferPointer { bytes -> (first: Range<Int>, last: Range<Int>)? in
        var first: Range<Int>? = nil
        var last: Range<Int>? = nil
        var index = 0
        while index < bytes.count {
            let nameStart = index + 1
            var equals = nameStart
            while bytes[equals] != UInt8(ascii: "=") { equals += 1 }
            var end = equals + 2
            while bytes[end] != UInt8(ascii: "\"") {
                end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
            }
            if first == nil { first = nameStart..<equals }
            last = nameStart..<equals
            index = end + 1
        }
        guard let first, let last else { return nil }
        return (first, last)
    }
}
