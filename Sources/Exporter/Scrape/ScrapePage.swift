import AtStatus
import Exposition
import Synchronization
import WebServer

/// `/metrics` assembled from the `SegmentIndex` rather than rendered: the snapshot-wide and
/// live families are rendered per scrape (a few dozen lines), each per-atSign family is its
/// header followed by each block's run of pre-rendered lines, sent as parts (`sendmsg`). With
/// gzip, each run is compressed once per change (`BlockChunks`) and the member assembled around
/// the cached chunks. Byte for byte what `MetricsPage.render` gives for the same snapshot.
public final class ScrapePage: Sendable {
    public let store: SnapshotStore
    let index: SegmentIndex
    private let templates: [MetricFamily]
    private let chunks = BlockChunks()

    /// A body, the snapshot version it shows and its sample count.
    public struct Body: Sendable {
        public var parts: [ArraySlice<UInt8>]
        public var version: UInt64
        public var series: Int
    }

    /// A store and its page with the default collector (atsign_bench times scrapes with it).
    public convenience init(rootAddress: String, collectors: Set<MetricCollector> = MetricCollector.defaults) {
        let index = SegmentIndex(collector: Collector(collectors: collectors))
        self.init(store: SnapshotStore(rootAddress: rootAddress, observer: index), index: index)
    }

    /// The body with the process families read now.
    public func body(format: ExpositionFormat, gzip: Bool) -> Body {
        body(format: format, live: Collector.liveFamilies(serving: nil, process: .read()), gzip: gzip)
    }

    /// Runs (a block's lines of one family) compressed so far: one per change seen by a gzip scrape.
    var compressedRuns: Int { chunks.compressedRuns.load(ordering: .relaxed) }

    init(store: SnapshotStore, index: SegmentIndex) {
        self.store = store
        self.index = index
        templates = index.templates.all
    }

    /// The page: the snapshot's families, then `live` (see `MetricsPage`).
    func body(format: ExpositionFormat, live: [MetricFamily], gzip: Bool) -> Body {
        let (capture, shared, version, unrendered) = store.read { snapshot in
            let capture = index.capture(format)
            // Only the first scrape in a format keeps a copy of the snapshot, to render it all.
            let copy: Snapshot? = capture.segments == nil ? snapshot : nil
            return (capture, index.collector.sharedFamilies(snapshot, fleet: capture.fleet), snapshot.version, copy)
        }
        let segments: FormatSegments
        if let kept = capture.segments {
            segments = kept
        } else {
            segments = index.render(capture, from: unrendered!, format: format)
            store.read { current in
                index.install(segments, format: format, layout: capture.layout, version: version, current: current)
            }
        }
        let plan = PagePlan(format: format, shared: shared, templates: templates)
        var tail: [UInt8] = []
        format.render(live, into: &tail)
        let parts =
            gzip
            ? gzipParts(plan, segments, tail: tail, format: format)
            : plainParts(plan, segments, tail: tail, format: format)
        let series = (shared + live).reduce(segments.samples) { $0 + $1.sampleCount }
        return Body(parts: parts, version: version, series: series)
    }

    /// The page as parts; `tail` (the live families) ends it.
    private func plainParts(_ plan: PagePlan, _ segments: FormatSegments, tail: [UInt8], format: ExpositionFormat)
        -> [ArraySlice<UInt8>]
    {
        var parts: [ArraySlice<UInt8>] = []
        var pending: [UInt8] = []
        for entry in plan.entries {
            switch entry {
            case .shared(let family):
                guard family.seriesCount > 0 else { continue }
                format.renderHeader(family, into: &pending)
                format.renderSeries(family, into: &pending)
            case .atSign(let index):
                let runs = segments.blocks.lazy.map { $0.families[index].bytes[...] }.filter { !$0.isEmpty }
                guard !runs.isEmpty else { continue }
                format.renderHeader(templates[index], into: &pending)
                parts.append(pending[...])
                pending = []
                parts += runs
            }
        }
        pending += tail
        parts.append(pending[...])
        return parts
    }

    private func gzipParts(_ plan: PagePlan, _ segments: FormatSegments, tail: [UInt8], format: ExpositionFormat)
        -> [ArraySlice<UInt8>]
    {
        let deflater = ChunkDeflater()
        let chunks = chunks.chunks(for: segments, format: format, deflater: deflater)
        var member = GzipMember()
        var pending: [UInt8] = []
        for entry in plan.entries {
            switch entry {
            case .shared(let family):
                guard family.seriesCount > 0 else { continue }
                format.renderHeader(family, into: &pending)
                format.renderSeries(family, into: &pending)
            case .atSign(let index):
                guard chunks.contains(where: { $0[index].length > 0 }) else { continue }
                format.renderHeader(templates[index], into: &pending)
                member.append(deflater.compress([pending[...]]))
                pending.removeAll(keepingCapacity: true)
                for block in chunks { member.append(block[index]) }
            }
        }
        pending += tail
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

/// Each block's deflated chunk per family, kept until that run of lines changes.
final class BlockChunks: Sendable {
    private struct Cached: Sendable {
        let version: UInt64
        let chunk: DeflatedChunk
    }

    /// Per format, per block, per family.
    private let cache = Mutex<[ExpositionFormat: [[Cached?]]]>([:])
    let compressedRuns = Atomic<Int>(0)

    /// The chunks of every block of `segments`, compressing only runs changed since cached.
    /// Compression runs outside the lock; two scrapes racing on one change both compress it.
    func chunks(for segments: FormatSegments, format: ExpositionFormat, deflater: ChunkDeflater) -> [[DeflatedChunk]] {
        let known = cache.withLock { $0[format] ?? [] }
        var fresh: [(Int, Int, Cached)] = []
        let result = segments.blocks.enumerated().map { position, block in
            block.families.enumerated().map { family, run -> DeflatedChunk in
                if position < known.count, family < known[position].count, let cached = known[position][family],
                    cached.version == run.version
                {
                    return cached.chunk
                }
                let chunk = deflater.compress([run.bytes[...]])
                fresh.append((position, family, Cached(version: run.version, chunk: chunk)))
                return chunk
            }
        }
        guard !fresh.isEmpty else { return result }
        compressedRuns.add(fresh.count, ordering: .relaxed)
        cache.withLock { cache in
            var blocks = cache[format] ?? []
            if blocks.count != segments.blocks.count || blocks.first?.count != segments.blocks.first?.families.count {
                blocks = segments.blocks.map { Array(repeating: nil, count: $0.families.count) }
            }
            for (position, family, cached) in fresh where (blocks[position][family]?.version ?? 0) < cached.version {
                blocks[position][family] = cached
            }
            cache[format] = blocks
        }
        return result
    }
}
