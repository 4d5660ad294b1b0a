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
    /// Each per-atSign family's HELP and TYPE lines per format: the same on every scrape.
    private let headers: [ExpositionFormat: [[UInt8]]]
    /// The same, deflated once: a scrape compressed each again (~35 K instructions per small
    /// chunk, a third of a gzip scrape, callgrind).
    private let headerChunks: [ExpositionFormat: [DeflatedChunk]]
    private let chunks = BlockChunks()
    /// Two deflate streams kept between gzip scrapes (made on first use), each used by one
    /// scrape at a time; a third scrape at once sets up its own (~150 KiB allocated and cleared).
    private let firstDeflater = Mutex<ChunkDeflater?>(nil)
    private let secondDeflater = Mutex<ChunkDeflater?>(nil)
    private let deflatersCreated = Atomic<Int>(0)

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
        var headers: [ExpositionFormat: [[UInt8]]] = [:]
        for format in ExpositionFormat.allCases {
            headers[format] = templates.map { template in
                var header: [UInt8] = []
                format.renderHeader(template, into: &header)
                return header
            }
        }
        self.headers = headers
        let deflater = ChunkDeflater()
        headerChunks = headers.mapValues { $0.map { deflater.compress([$0[...]]) } }
    }

    /// Deflate streams set up so far.
    var deflatersMade: Int { deflatersCreated.load(ordering: .relaxed) }

    /// Runs `body` with a kept deflate stream, or a new one when both kept ones are in use.
    private func withDeflater(_ body: (ChunkDeflater) -> [ArraySlice<UInt8>]) -> [ArraySlice<UInt8>] {
        if let parts = Self.withKept(firstDeflater, made: deflatersCreated, body) { return parts }
        if let parts = Self.withKept(secondDeflater, made: deflatersCreated, body) { return parts }
        deflatersCreated.add(1, ordering: .relaxed)
        return body(ChunkDeflater())
    }

    /// `body` with the stream kept in `slot` (made on first use); nil while another scrape has it.
    private static func withKept(
        _ slot: borrowing Mutex<ChunkDeflater?>, made: borrowing Atomic<Int>,
        _ body: (ChunkDeflater) -> [ArraySlice<UInt8>]
    ) -> [ArraySlice<UInt8>]? {
        slot.withLockIfAvailable { (kept: inout sending ChunkDeflater?) -> [ArraySlice<UInt8>] in
            if kept == nil {
                made.add(1, ordering: .relaxed)
                kept = ChunkDeflater()
            }
            return body(kept!)
        }
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
            ? withDeflater { gzipParts(plan, segments, tail: tail, format: format, deflater: $0) }
            : plainParts(plan, segments, tail: tail, format: format)
        let series = (shared + live).reduce(segments.samples) { $0 + $1.sampleCount }
        return Body(parts: parts, version: version, series: series)
    }

    /// The page as parts; `tail` (the live families) ends it.
    private func plainParts(_ plan: PagePlan, _ segments: FormatSegments, tail: [UInt8], format: ExpositionFormat)
        -> [ArraySlice<UInt8>]
    {
        let headers = headers[format]!
        var parts: [ArraySlice<UInt8>] = []
        var pending: [UInt8] = []
        for entry in plan.entries {
            switch entry {
            case .shared(let family):
                guard family.seriesCount > 0 else { continue }
                format.renderHeader(family, into: &pending)
                format.renderSeries(family, into: &pending)
            case .atSign(let index):
                guard segments.blocks.contains(where: { !$0.families[index].bytes.isEmpty }) else { continue }
                pending += headers[index]
                parts.append(pending[...])
                pending = []
                for block in segments.blocks where !block.families[index].bytes.isEmpty {
                    parts.append(block.families[index].bytes[...])
                }
            }
        }
        pending += tail
        parts.append(pending[...])
        return parts
    }

    private func gzipParts(
        _ plan: PagePlan, _ segments: FormatSegments, tail: [UInt8], format: ExpositionFormat, deflater: ChunkDeflater
    ) -> [ArraySlice<UInt8>] {
        let headers = headerChunks[format]!
        let families = templates.count
        let kept = chunks.chunks(for: segments, format: format, families: families, deflater: deflater)
        var member = GzipMember()
        var pending: [UInt8] = []
        for entry in plan.entries {
            switch entry {
            case .shared(let family):
                guard family.seriesCount > 0 else { continue }
                format.renderHeader(family, into: &pending)
                format.renderSeries(family, into: &pending)
            case .atSign(let index):
                guard kept.spans[index].length > 0 else { continue }
                if !pending.isEmpty {
                    member.append(deflater.compress([pending[...]]))
                    pending.removeAll(keepingCapacity: true)
                }
                member.append(headers[index])
                member.append(kept.chunks, from: index, every: families, span: kept.spans[index])
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

/// Each block's deflated chunk per family, kept until that run of lines changes, and each
/// family's span (its chunks' CRC and length), combined again only when one of them changes.
final class BlockChunks: Sendable {
    /// Per format: block `b`'s chunk of family `f` at `b * families + f`, with the version of
    /// the run it was made from; family `f`'s span at `f`.
    struct Kept: Sendable {
        var versions: [UInt64]
        var chunks: [DeflatedChunk]
        var spans: [ChunkSpan]
        /// Bumped by every store: a scrape that finds the one it read stores its arrays as they are.
        var generation: UInt64

        /// Family `family`'s span, from its chunks in block order.
        mutating func combine(family: Int, families: Int) {
            spans[family] = ChunkSpan(chunks, from: family, every: families)
        }
    }

    private let cache = Mutex<[ExpositionFormat: Kept]>([:])
    let compressedRuns = Atomic<Int>(0)

    /// The chunks of every block of `segments` (block-major, as `Kept`) and the families' spans,
    /// compressing only runs changed since cached. Compression runs outside the lock; two
    /// scrapes racing on one change both compress it, and the newer version stays.
    func chunks(for segments: FormatSegments, format: ExpositionFormat, families: Int, deflater: ChunkDeflater)
        -> Kept
    {
        let count = segments.blocks.count * families
        // Shared with the cache until a run has changed: then copied once (one array per scrape).
        let cached = cache.withLock { $0[format] }
        let known = cached?.chunks.count == count
        var kept =
            known
            ? cached!
            : Kept(
                versions: Array(repeating: 0, count: count), chunks: [],
                spans: Array(repeating: ChunkSpan([]), count: families),
                generation: cached?.generation ?? 0)
        if !known { kept.chunks.reserveCapacity(count) }
        var fresh: [Int] = []
        for (position, block) in segments.blocks.enumerated() {
            for (family, run) in block.families.enumerated() {
                let slot = position * families + family
                if known && kept.versions[slot] == run.version { continue }
                let chunk = deflater.compress([run.bytes[...]])
                if known { kept.chunks[slot] = chunk } else { kept.chunks.append(chunk) }
                kept.versions[slot] = run.version
                fresh.append(slot)
            }
        }
        guard !fresh.isEmpty else { return kept }
        let touched = known ? Set(fresh.map { $0 % families }) : Set(0..<families)
        for family in touched { kept.combine(family: family, families: families) }
        compressedRuns.add(fresh.count, ordering: .relaxed)
        let generation = kept.generation
        cache.withLock { cache in
            guard var other = cache[format], other.chunks.count == count, other.generation != generation else {
                kept.generation = generation &+ 1
                cache[format] = kept
                return
            }
            // Another scrape stored chunks meanwhile: keep the newer of each.
            cache[format] = nil  // `other` is then the only reference: no copy below
            var changed = Set<Int>()
            for slot in fresh where other.versions[slot] < kept.versions[slot] {
                other.versions[slot] = kept.versions[slot]
                other.chunks[slot] = kept.chunks[slot]
                changed.insert(slot % families)
            }
            for family in changed { other.combine(family: family, families: families) }
            other.generation &+= 1
            cache[format] = other
        }
        return kept
    }
}
