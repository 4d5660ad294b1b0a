import AtStatus
import Exposition
import Synchronization
import WebServer

/// `/metrics` assembled from the `SegmentIndex` rather than rendered: the snapshot-wide and
/// process families are rendered per scrape (a few dozen lines), each per-atSign family is its
/// header followed by every atSign's pre-rendered lines, sent as parts (`writev`). With gzip,
/// each block of atSigns is compressed once per change (`BlockChunks`) and the member assembled
/// around the cached chunks. Byte for byte what `MetricsPage.render` gives for the same snapshot.
final class ScrapePage: Sendable {
    let store: SnapshotStore
    let index: SegmentIndex
    private let templates: [MetricFamily]
    private let chunks = BlockChunks()

    /// A body and the snapshot version it shows.
    struct Body: Sendable {
        var parts: [ArraySlice<UInt8>]
        var version: UInt64
    }

    /// Blocks compressed so far (one per change of a block seen by a gzip scrape).
    var compressedBlocks: Int { chunks.compressedBlocks.load(ordering: .relaxed) }

    init(store: SnapshotStore, index: SegmentIndex) {
        self.store = store
        self.index = index
        templates = index.collector.atSignTemplates
    }

    func body(format: ExpositionFormat, process: ProcessMetrics?, gzip: Bool) -> Body {
        let (capture, shared, version, unrendered) = store.read { snapshot in
            let capture = index.capture(format, snapshot)
            // Only the first scrape in a format, while atSigns were already probed, keeps a copy.
            let copy: Snapshot? = capture.segments.missing > 0 ? snapshot : nil
            return (capture, index.collector.sharedFamilies(snapshot), snapshot.version, copy)
        }
        var complete = capture
        if let unrendered {
            fill(&complete, from: unrendered, format: format)
            store.read { _ in index.install(complete, format: format) }
        }
        var families = shared
        if let process { families += Collector.processFamilies(process) }
        let plan = PagePlan(format: format, shared: families, templates: templates)
        let parts =
            gzip
            ? gzipParts(plan, complete.segments, format: format) : plainParts(plan, complete.segments, format: format)
        return Body(parts: parts, version: version)
    }

    private func fill(_ capture: inout Capture, from snapshot: Snapshot, format: ExpositionFormat) {
        let collector = index.collector
        for block in capture.segments.blocks.indices {
            for slot in capture.segments.blocks[block].slots.indices
            where capture.segments.blocks[block].slots[slot] == nil {
                let atSign = capture.ordered[block * SegmentIndex.blockSize + slot]
                let families = snapshot.records[atSign].flatMap { collector.atSignFamilies($0) }
                capture.segments.blocks[block].slots[slot] = RenderedAtSign(families, format: format)
            }
        }
        capture.segments.missing = 0
    }

    typealias Capture = SegmentIndex.Capture

    private func plainParts(_ plan: PagePlan, _ segments: FormatSegments, format: ExpositionFormat)
        -> [ArraySlice<UInt8>]
    {
        var parts: [ArraySlice<UInt8>] = []
        var pending: [UInt8] = []
        var lines: [ArraySlice<UInt8>] = []
        for entry in plan.entries {
            switch entry {
            case .shared(let family):
                guard family.seriesCount > 0 else { continue }
                format.renderHeader(family, into: &pending)
                format.renderSeries(family, into: &pending)
            case .atSign(let index):
                lines.removeAll(keepingCapacity: true)
                for block in segments.blocks {
                    for slot in block.slots {
                        let part = slot!.lines(index)
                        if !part.isEmpty { lines.append(part) }
                    }
                }
                guard !lines.isEmpty else { continue }
                format.renderHeader(templates[index], into: &pending)
                parts.append(pending[...])
                pending = []
                parts += lines
            }
        }
        pending += format.trailer
        parts.append(pending[...])
        return parts
    }

    private func gzipParts(_ plan: PagePlan, _ segments: FormatSegments, format: ExpositionFormat)
        -> [ArraySlice<UInt8>]
    {
        let deflater = ChunkDeflater()
        let blocks = chunks.chunks(for: segments, format: format, families: templates.count, deflater: deflater)
        var member = GzipMember()
        var pending: [UInt8] = []
        for entry in plan.entries {
            switch entry {
            case .shared(let family):
                guard family.seriesCount > 0 else { continue }
                format.renderHeader(family, into: &pending)
                format.renderSeries(family, into: &pending)
            case .atSign(let index):
                guard blocks.contains(where: { $0[index].length > 0 }) else { continue }
                format.renderHeader(templates[index], into: &pending)
                member.append(deflater.compress([pending[...]]))
                pending.removeAll(keepingCapacity: true)
                for block in blocks { member.append(block[index]) }
            }
        }
        pending += format.trailer
        if !pending.isEmpty { member.append(deflater.compress([pending[...]])) }
        return member.finish()
    }
}

/// The page's families in exposition order: per-atSign families by template index, the others
/// rendered per scrape, all sorted by the name they show in the format, as the renderer sorts.
struct PagePlan {
    enum Entry {
        case shared(MetricFamily)
        case atSign(Int)
    }

    let entries: [Entry]

    init(format: ExpositionFormat, shared: [MetricFamily], templates: [MetricFamily]) {
        var named: [([UInt8], Int, Entry)] = []
        for (position, family) in templates.enumerated() {
            named.append((format.familyName(family), position, .atSign(position)))
        }
        for (position, family) in shared.enumerated() {
            named.append((format.familyName(family), templates.count + position, .shared(family)))
        }
        named.sort { $0.0.lexicographicallyPrecedes($1.0) || ($0.0 == $1.0 && $0.1 < $1.1) }
        entries = named.map(\.2)
    }
}

/// Each block's deflated chunks (one per per-atSign family), kept until the block changes.
final class BlockChunks: Sendable {
    private struct Cached: Sendable {
        let version: UInt64
        let chunks: [DeflatedChunk]
    }

    private let cache = Mutex<[ExpositionFormat: [Cached?]]>([:])
    let compressedBlocks = Atomic<Int>(0)

    /// The chunks of every block of `segments`, compressing only blocks changed since cached.
    /// Compression runs outside the lock; two scrapes racing on one change both compress it.
    func chunks(for segments: FormatSegments, format: ExpositionFormat, families: Int, deflater: ChunkDeflater)
        -> [[DeflatedChunk]]
    {
        let known = cache.withLock { $0[format] ?? [] }
        var fresh: [Int: Cached] = [:]
        let result = segments.blocks.enumerated().map { position, block -> [DeflatedChunk] in
            if position < known.count, let cached = known[position], cached.version == block.version {
                return cached.chunks
            }
            let chunks = (0..<families).map { family in deflater.compress(block.slots.map { $0!.lines(family) }) }
            fresh[position] = Cached(version: block.version, chunks: chunks)
            return chunks
        }
        guard !fresh.isEmpty else { return result }
        compressedBlocks.add(fresh.count, ordering: .relaxed)
        cache.withLock { cache in
            var blocks = cache[format] ?? []
            if blocks.count != segments.blocks.count { blocks = Array(repeating: nil, count: segments.blocks.count) }
            for (position, cached) in fresh where (blocks[position]?.version ?? 0) < cached.version {
                blocks[position] = cached
            }
            cache[format] = blocks
        }
        return result
    }
}
