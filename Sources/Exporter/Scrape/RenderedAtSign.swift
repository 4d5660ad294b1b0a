import Exposition

/// One atSign's series in one format, rendered when its result was recorded: the lines of every
/// per-atSign family back to back, family `f`'s ending at `ends[f]`.
struct RenderedAtSign: Sendable {
    let bytes: [UInt8]
    let ends: [UInt32]

    /// An atSign not probed yet: no series in any family.
    static let empty = RenderedAtSign(bytes: [], ends: [])

    init(bytes: [UInt8], ends: [UInt32]) {
        self.bytes = bytes
        self.ends = ends
    }

    init(_ families: [MetricFamily]?, format: ExpositionFormat) {
        guard let families else {
            self = .empty
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(families.count * 96)
        var ends: [UInt32] = []
        ends.reserveCapacity(families.count)
        for family in families {
            format.renderSeries(family, into: &bytes)
            ends.append(UInt32(bytes.count))
        }
        // Kept for a whole round: an exact-size copy rather than the growth slack.
        self.init(bytes: Array(bytes[...]), ends: ends)
    }

    /// The lines of family `index`; empty when the atSign has none there.
    func lines(_ index: Int) -> ArraySlice<UInt8> {
        guard index < ends.count else { return [] }
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return bytes[start..<Int(ends[index])]
    }
}

/// A run of consecutive atSigns (in label order): the unit that is compressed on its own and
/// recompressed when one of its atSigns changes.
struct SegmentBlock: Sendable {
    /// nil: not rendered in this format yet (the format was first asked for after the probe).
    var slots: [RenderedAtSign?]
    /// The snapshot version of the block's last change.
    var version: UInt64
}

/// Every configured atSign's rendering in one format.
struct FormatSegments: Sendable {
    var blocks: [SegmentBlock]
    /// Slots still nil.
    var missing: Int
}
