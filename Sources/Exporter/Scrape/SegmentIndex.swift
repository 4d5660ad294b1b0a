import AtStatus
import Exposition
import Synchronization

/// Every configured atSign's `/metrics` lines, rendered in each format a scrape has asked for
/// when its result is recorded, in blocks of `blockSize` atSigns in label order. Fed by the
/// snapshot store under its lock, so a capture taken under that lock matches one snapshot
/// version exactly.
final class SegmentIndex: SnapshotObserver {
    /// 64 atSigns: a changed atSign costs recompressing ~64 atSigns' lines (a few 100 µs) on
    /// the next gzip scrape, and 10,000 atSigns make ~160 blocks per family.
    static let blockSize = 64

    let collector: Collector
    private let state = Mutex(State())

    struct State: Sendable {
        /// The configured atSigns in label order (the order of the page's series).
        var ordered: [AtSign] = []
        var positions: [AtSign: Int] = [:]
        /// Bumped by every change of `ordered`: renderings made for another layout are not installed.
        var layout: UInt64 = 0
        var formats: [ExpositionFormat: FormatSegments] = [:]
    }

    /// What a scrape renders from, taken under the store's lock.
    struct Capture: Sendable {
        var segments: FormatSegments
        var ordered: [AtSign]
        var layout: UInt64
    }

    init(collector: Collector) {
        self.collector = collector
    }

    func targetsChanged(_ snapshot: Snapshot) {
        let ordered = snapshot.targets.map { ($0, snapshot.records[$0]?.labels ?? .empty) }.sorted { $0.1 < $1.1 }
            .map(\.0)
        state.withLock { state in
            let old = state
            state.ordered = ordered
            state.positions = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, $0) })
            state.layout &+= 1
            for (format, segments) in old.formats {
                let slots = ordered.map { atSign -> RenderedAtSign? in
                    if let position = old.positions[atSign] { return segments.slot(position) }
                    return snapshot.records[atSign]?.result == nil ? .empty : nil
                }
                state.formats[format] = FormatSegments(slots: slots, version: snapshot.version)
            }
        }
    }

    func recorded(_ atSign: AtSign, _ record: AtSignRecord, version: UInt64) {
        state.withLock { state in
            guard let position = state.positions[atSign], !state.formats.isEmpty else { return }
            let families = collector.atSignFamilies(record)
            for format in state.formats.keys {
                state.formats[format]!.set(position, RenderedAtSign(families, format: format), version: version)
            }
        }
    }

    /// The segments of `format`; the first capture of a format starts keeping it, with the
    /// probed atSigns left nil for the caller to render (`install`) outside the store's lock.
    func capture(_ format: ExpositionFormat, _ snapshot: Snapshot) -> Capture {
        state.withLock { state in
            if state.formats[format] == nil {
                let slots = state.ordered.map { snapshot.records[$0]?.result == nil ? RenderedAtSign.empty : nil }
                state.formats[format] = FormatSegments(slots: slots, version: snapshot.version)
            }
            return Capture(segments: state.formats[format]!, ordered: state.ordered, layout: state.layout)
        }
    }

    /// Fills slots still nil with `filled`'s: an atSign whose slot is still nil has not been
    /// recorded since the format was first asked for, so the rendering is still its own.
    func install(_ filled: Capture, format: ExpositionFormat) {
        state.withLock { state in
            guard state.layout == filled.layout, var segments = state.formats[format], segments.missing > 0 else {
                return
            }
            segments.fillMissing(from: filled.segments)
            state.formats[format] = segments
        }
    }
}

extension FormatSegments {
    init(slots: [RenderedAtSign?], version: UInt64) {
        let size = SegmentIndex.blockSize
        blocks = stride(from: 0, to: slots.count, by: size).map {
            SegmentBlock(slots: Array(slots[$0..<min($0 + size, slots.count)]), version: version)
        }
        missing = slots.reduce(0) { $0 + ($1 == nil ? 1 : 0) }
    }

    func slot(_ position: Int) -> RenderedAtSign? {
        blocks[position / SegmentIndex.blockSize].slots[position % SegmentIndex.blockSize]
    }

    mutating func set(_ position: Int, _ rendered: RenderedAtSign, version: UInt64) {
        let block = position / SegmentIndex.blockSize
        let slot = position % SegmentIndex.blockSize
        if blocks[block].slots[slot] == nil { missing -= 1 }
        blocks[block].slots[slot] = rendered
        blocks[block].version = version
    }

    mutating func fillMissing(from other: FormatSegments) {
        for block in blocks.indices where blocks[block].slots.contains(where: { $0 == nil }) {
            for slot in blocks[block].slots.indices where blocks[block].slots[slot] == nil {
                if let rendered = other.blocks[block].slots[slot] {
                    blocks[block].slots[slot] = rendered
                    missing -= 1
                }
            }
        }
    }
}
