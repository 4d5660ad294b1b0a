import Exposition

/// One atSign's series in one format, as rendered when its result is recorded: the lines of
/// every per-atSign family back to back, family `f`'s ending at `ends[f]`. Short-lived: the
/// lines are copied into the atSign's block (`SegmentBlock`).
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
        self.init(bytes: bytes, ends: ends)
    }

    /// The lines of family `index`; empty when the atSign has none there.
    func lines(_ index: Int) -> ArraySlice<UInt8> {
        guard index < ends.count else { return [] }
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return bytes[start..<Int(ends[index])]
    }
}

/// One family's lines for the atSigns of one block, back to back: slot `s`'s end at `ends[s]`.
/// One buffer per block and family rather than one per atSign: no per-atSign allocation, and
/// a scrape sends (or compresses) the block's lines as one part.
struct FamilyRun: Sendable {
    private(set) var bytes: [UInt8] = []
    private var ends: [UInt32]
    /// The snapshot version of the last change of these bytes: a probe that only moves the
    /// duration leaves the status families' runs, and their compressed chunks, as they were.
    private(set) var version: UInt64
    /// Sample lines held (per-atSign families have no histograms: one line is one sample).
    private(set) var samples = 0

    init(_ atSigns: ArraySlice<RenderedAtSign>, family: Int, version: UInt64) {
        self.version = version
        ends = []
        ends.reserveCapacity(atSigns.count)
        bytes.reserveCapacity(atSigns.reduce(0) { $0 + $1.lines(family).count })
        for atSign in atSigns {
            bytes.append(contentsOf: atSign.lines(family))
            ends.append(UInt32(bytes.count))
        }
        samples = Self.lineCount(bytes[...])
    }

    private static func lineCount(_ bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }

    func lines(_ slot: Int) -> ArraySlice<UInt8> {
        bytes[(slot == 0 ? 0 : Int(ends[slot - 1]))..<Int(ends[slot])]
    }

    /// Replaces slot `slot`'s lines: a move of the block's later lines, no per-line work.
    mutating func replace(_ slot: Int, with lines: ArraySlice<UInt8>, version: UInt64) {
        let start = slot == 0 ? 0 : Int(ends[slot - 1])
        let end = Int(ends[slot])
        if bytes[start..<end].elementsEqual(lines) { return }
        self.version = version
        samples += Self.lineCount(lines) - Self.lineCount(bytes[start..<end])
        bytes.replaceSubrange(start..<end, with: lines)
        let delta = lines.count - (end - start)
        for index in slot..<ends.count { ends[index] = UInt32(Int(ends[index]) + delta) }
    }
}

/// A run of consecutive atSigns (in label order), one `FamilyRun` per per-atSign family; each
/// run is compressed on its own and again only when one of its atSigns' lines change.
struct SegmentBlock: Sendable {
    private(set) var families: [FamilyRun]

    init(_ atSigns: ArraySlice<RenderedAtSign>, families: Int, version: UInt64) {
        self.families = (0..<families).map { FamilyRun(atSigns, family: $0, version: version) }
    }

    mutating func set(_ slot: Int, _ rendered: RenderedAtSign, version: UInt64) {
        for family in families.indices {
            families[family].replace(slot, with: rendered.lines(family), version: version)
        }
    }

    /// Slot `slot`'s lines taken out again, to lay the atSign into a new block after a reload.
    func rendered(_ slot: Int) -> RenderedAtSign {
        var bytes: [UInt8] = []
        var ends: [UInt32] = []
        for family in families {
            bytes.append(contentsOf: family.lines(slot))
            ends.append(UInt32(bytes.count))
        }
        return RenderedAtSign(bytes: bytes, ends: ends)
    }
}

/// Every configured atSign's lines in one format, in blocks of `SegmentIndex.blockSize`.
struct FormatSegments: Sendable {
    var blocks: [SegmentBlock]

    init(_ atSigns: [RenderedAtSign], families: Int, version: UInt64) {
        let size = SegmentIndex.blockSize
        blocks = stride(from: 0, to: atSigns.count, by: size).map {
            SegmentBlock(atSigns[$0..<min($0 + size, atSigns.count)], families: families, version: version)
        }
    }

    /// Sample lines held, over every block and family.
    var samples: Int { blocks.reduce(0) { total, block in block.families.reduce(total) { $0 + $1.samples } } }

    func rendered(_ position: Int) -> RenderedAtSign {
        blocks[position / SegmentIndex.blockSize].rendered(position % SegmentIndex.blockSize)
    }

    mutating func set(_ position: Int, _ rendered: RenderedAtSign, version: UInt64) {
        blocks[position / SegmentIndex.blockSize].set(position % SegmentIndex.blockSize, rendered, version: version)
    }
}
