/// How a Double is laid out; the digits are always the shortest that round-trip.
///
/// Sample values use plain decimals up to 1e21 (timestamps stay readable, as the OpenMetrics
/// spec asks); `le` values follow Go's `%g` (exponent from 1e+06 on), the canonical form the
/// OpenMetrics spec demands and that client_golang writes, so bucket labels match other exporters.
struct NumberStyle: Sendable {
    /// The decimal exponent from which scientific notation is used.
    let exponentThreshold: Int
    /// OpenMetrics marks floats with `.0` when they would otherwise look like integers.
    let marksFloat: Bool

    static let textValue = NumberStyle(exponentThreshold: 21, marksFloat: false)
    static let openMetricsValue = NumberStyle(exponentThreshold: 21, marksFloat: true)
    static let textBound = NumberStyle(exponentThreshold: 6, marksFloat: false)
    static let openMetricsBound = NumberStyle(exponentThreshold: 6, marksFloat: true)
}

extension Array where Element == UInt8 {
    /// Appends the bytes of a literal without creating a String.
    @inline(__always)
    mutating func appendLiteral(_ text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends a non-negative or negative integer in decimal.
    mutating func appendInteger(_ value: Int64) {
        if value < 0 { append(UInt8(ascii: "-")) }
        appendUnsigned(value.magnitude)
    }

    mutating func appendUnsigned(_ value: UInt64) {
        if value < 10 {
            append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value))
            return
        }
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor &*= 10 }
        var rest = value
        while divisor > 0 {
            append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Appends `value` as the exposition formats want it: `NaN`, `+Inf`, `-Inf`, `0` for ±0,
    /// integers without a point, other values with their shortest round-trip digits.
    mutating func appendNumber(_ value: Double, style: NumberStyle) {
        if value.isNaN { return appendLiteral("NaN") }
        if value.isInfinite { return value > 0 ? appendLiteral("+Inf") : appendLiteral("-Inf") }
        let limit = style.exponentThreshold >= 15 ? 1e15 : 1e6
        if value == value.rounded(.towardZero) && value.magnitude < limit {
            appendInteger(Int64(value))
            if style.marksFloat { appendLiteral(".0") }
            return
        }
        var writer = ShortestDigitsWriter(style: style)
        swap(&self, &writer.output)
        value.write(to: &writer)
        swap(&self, &writer.output)
    }
}

/// Receives the Swift runtime's shortest round-trip rendering and re-lays it out Go-style.
///
/// The runtime hands its ASCII buffer to `_writeASCII`, so no String is created per value;
/// should it ever call `write(_:)` instead, the output is the same, only slower.
struct ShortestDigitsWriter: TextOutputStream {
    var output: [UInt8] = []
    let style: NumberStyle

    init(style: NumberStyle) { self.style = style }

    mutating func write(_ string: String) {
        var copy = string
        copy.withUTF8 { relayout($0) }
    }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        relayout(buffer)
    }

    /// Parses `-ddd.ddde±xx` into digits and a decimal point position, then writes them out.
    private mutating func relayout(_ text: UnsafeBufferPointer<UInt8>) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: text.count) { digits in
            var count = 0
            var point = 0
            var negative = false
            var seenPoint = false
            var index = 0
            while index < text.count {
                let byte = text[index]
                index += 1
                switch byte {
                case UInt8(ascii: "-"): negative = true
                case UInt8(ascii: "."): seenPoint = true
                case UInt8(ascii: "e"), UInt8(ascii: "E"):
                    point += parseExponent(text, from: index)
                    index = text.count
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if count == 0 && byte == UInt8(ascii: "0") {
                        if seenPoint { point -= 1 }
                    } else {
                        digits[count] = byte
                        count += 1
                        if !seenPoint { point += 1 }
                    }
                default: break
                }
            }
            while count > 1 && digits[count - 1] == UInt8(ascii: "0") { count -= 1 }
            if negative { output.append(UInt8(ascii: "-")) }
            emit(UnsafeBufferPointer(rebasing: digits[0..<count]), point: point)
        }
    }

    private func parseExponent(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var sign = 1
        var value = 0
        for byte in text[start...] {
            if byte == UInt8(ascii: "-") {
                sign = -1
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
        }
        return sign * value
    }

    /// Writes 0.d1d2…dn × 10^point in Go's `%g` layout with the style's exponent threshold.
    private mutating func emit(_ digits: UnsafeBufferPointer<UInt8>, point: Int) {
        let exponent = point - 1
        if exponent < -4 || exponent >= style.exponentThreshold {
            output.append(digits[0])
            if digits.count > 1 {
                output.append(UInt8(ascii: "."))
                output.append(contentsOf: digits[1...])
            }
            output.appendLiteral(exponent < 0 ? "e-" : "e+")
            if exponent.magnitude < 10 { output.append(UInt8(ascii: "0")) }
            output.appendUnsigned(UInt64(exponent.magnitude))
            return
        }
        if point <= 0 {
            output.appendLiteral("0.")
            for _ in 0..<(-point) { output.append(UInt8(ascii: "0")) }
            output.append(contentsOf: digits)
        } else if point >= digits.count {
            output.append(contentsOf: digits)
            for _ in 0..<(point - digits.count) { output.append(UInt8(ascii: "0")) }
            if style.marksFloat { output.appendLiteral(".0") }
        } else {
            output.append(contentsOf: digits[0..<point])
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: digits[point...])
        }
    }
}
