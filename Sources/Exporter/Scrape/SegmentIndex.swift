import AtStatus
import Exposition
import Synchronization

/// Every configured atSign's `/metrics` lines, kept in each format a scrape has asked for and
/// rendered again when its result is recorded, in blocks of `blockSize` atSigns in label order.
/// Fed by the snapshot store under its lock, so a capture taken under that lock matches one
/// snapshot version exactly.
final class SegmentIndex: SnapshotObserver {
    /// 64 atSigns: a changed atSign costs recompressing its block's run of the families whose
    /// lines changed (64 lines each) on the next gzip scrape; 10,000 atSigns make 157 blocks.
    static let blockSize = 64

    let collector: Collector
    /// The enabled per-atSign families, empty; copied for each atSign rendered.
    let templates: AtSignFamilies
    let families: Int
    private let state = Mutex(State())

    struct State: Sendable {
        /// The configured atSigns in label order (the order of the page's series).
        var ordered: [AtSign] = []
        var positions: [AtSign: Int] = [:]
        /// Per position: the version of its last record, to patch an activation made from an older snapshot.
        var changedAt: [UInt64] = []
        /// Bumped by every change of `ordered`: renderings made for another layout are not installed.
        var layout: UInt64 = 0
        var formats: [ExpositionFormat: FormatSegments] = [:]
        /// The fleet series' counts, kept as results come and go rather than counted per scrape.
        var fleet = FleetFamilies()
    }

    /// What a scrape renders from, taken under the store's lock. `segments` is nil the first
    /// time a format is asked for: the scrape renders every atSign from the snapshot (outside
    /// the lock) and offers the result to `install`.
    struct Capture: Sendable {
        var segments: FormatSegments?
        var layout: UInt64
        var ordered: [AtSign]
        var fleet: FleetFamilies
    }

    init(collector: Collector) {
        self.collector = collector
        templates = collector.atSignTemplates
        families = templates.all.count
    }

    func targetsChanged(_ snapshot: Snapshot) {
        let ordered = snapshot.targets.map { ($0, snapshot.records[$0]?.labels ?? .empty) }.sorted { $0.1 < $1.1 }
            .map(\.0)
        state.withLock { state in
            let old = state
            state.ordered = ordered
            state.positions = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, $0) })
            state.changedAt = Array(repeating: snapshot.version, count: ordered.count)
            state.layout &+= 1
            state.fleet = FleetFamilies()
            for atSign in ordered {
                if let result = snapshot.records[atSign]?.result { state.fleet.add(result) }
            }
            for (format, segments) in old.formats {
                let atSigns = ordered.map { atSign in
                    old.positions[atSign].map { segments.rendered($0) } ?? .empty
                }
                state.formats[format] = FormatSegments(atSigns, families: families, version: snapshot.version)
            }
        }
    }

    func recorded(_ atSign: AtSign, _ record: AtSignRecord, replacing replaced: ProbeResult?, version: UInt64) {
        state.withLock { state in
            guard let position = state.positions[atSign] else { return }
            state.changedAt[position] = version
            if let replaced { state.fleet.remove(replaced) }
            if let result = record.result { state.fleet.add(result) }
            guard !state.formats.isEmpty else { return }
            let families = collector.atSignFamilies(record, from: templates)
            for format in state.formats.keys {
                state.formats[format]!.set(position, RenderedAtSign(families, format: format), version: version)
            }
        }
    }

    func capture(_ format: ExpositionFormat) -> Capture {
        state.withLock {
            Capture(segments: $0.formats[format], layout: $0.layout, ordered: $0.ordered, fleet: $0.fleet)
        }
    }

    /// Renders every atSign of `snapshot` (the first scrape in a format; outside the lock).
    func render(_ capture: Capture, from snapshot: Snapshot, format: ExpositionFormat) -> FormatSegments {
        let atSigns = capture.ordered.map { atSign in
            RenderedAtSign(
                snapshot.records[atSign].flatMap { collector.atSignFamilies($0, from: templates) }, format: format)
        }
        return FormatSegments(atSigns, families: families, version: snapshot.version)
    }

    /// Starts keeping `format` with `rendered` (made from the snapshot of `version`), unless
    /// another scrape did first; atSigns recorded since are rendered again from `current`.
    func install(
        _ rendered: FormatSegments, format: ExpositionFormat, layout: UInt64, version: UInt64, current: Snapshot
    ) {
        state.withLock { state in
            guard state.layout == layout, state.formats[format] == nil else { return }
            var segments = rendered
            for (position, changed) in state.changedAt.enumerated() where changed > version {
                let families = current.records[state.ordered[position]].flatMap {
                    collector.atSignFamilies($0, from: templates)
                }
                // The current version, not `changed`: the run then holds what it holds at `current`.
                segments.set(position, RenderedAtSign(families, format: format), version: current.version)
            }
            state.formats[format] = segments
        }
    }
}
