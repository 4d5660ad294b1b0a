import AtStatus
import Exposition
import Synchronization
import Testing
import WebServer

@testable import Exporter

/// The assembled `/metrics` page is byte for byte a full render of the same snapshot version,
/// plain and gzipped, whatever changed since the last scrape.
@Suite struct ScrapePageTests {
    static let process = ProcessMetrics(
        cpuSeconds: 1.5, residentBytes: 1e7, virtualBytes: 2e7, openFDs: 9, maxFDs: 1024, startTimeSeconds: 1.7e9,
        threads: 5)

    static let full = Set(MetricCollector.allCases)

    struct Fixture: Sendable {
        let store: SnapshotStore
        let page: ScrapePage
        let collector: Collector
        let live: [MetricFamily]

        /// Every collector on by default, so every family's path is taken.
        init(_ atSigns: [AtSign], collectors: Set<MetricCollector> = ScrapePageTests.full) {
            collector = Collector(shard: 1, totalShards: 3, collectors: collectors)
            let index = SegmentIndex(collector: collector)
            store = SnapshotStore(rootAddress: "root.example:64", observer: index)
            page = ScrapePage(store: store, index: index)
            live = Collector.liveFamilies(
                serving: GoldenExpositionTests.servingStats(), process: ScrapePageTests.process)
            store.setTargets(atSigns)
        }

        func full(_ snapshot: Snapshot, _ format: ExpositionFormat) -> (bytes: [UInt8], series: Int) {
            MetricsPage.render(snapshot, collector: collector, format: format, live: live)
        }

        /// Scrapes plain and gzipped and checks both against a full render of the store now.
        func expectFullRender(_ format: ExpositionFormat, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let expected = full(store.snapshot, format)
            let plain = page.body(format: format, live: live, gzip: false)
            #expect(plain.parts.flatMap { $0 } == expected.bytes, sourceLocation: sourceLocation)
            #expect(plain.series == expected.series, sourceLocation: sourceLocation)
            let zipped = page.body(format: format, live: live, gzip: true)
            #expect(
                try Gzip.decompress(zipped.parts.flatMap { $0 }, limit: 1 << 26) == expected.bytes,
                sourceLocation: sourceLocation)
        }
    }

    static func atSigns(_ count: Int) -> [AtSign] {
        (0..<count).map { try! AtSign("@sim\(String($0 + 1).leftPadded(to: 5))") }
    }

    static func result(_ atSign: AtSign, round: Int) -> ProbeResult {
        let statuses: [(RootStatus, ServerStatus)] = [
            (.found, .activated), (.found, .teapot), (.notFound, .unavailable),
        ]
        let (root, server) = statuses[(atSign.name.utf8.reduce(0) { $0 + Int($1) } + round) % statuses.count]
        var result = FakeChecker.result(atSign, root, server)
        result.durationSeconds = Double(round) + 0.125
        result.finishedAt = 1_700_000_000 + Double(round)
        if server == .unavailable {
            result.failure = ProbeFailure(reason: .timeout, phase: .serverTLS, message: "timed out")
        }
        return result
    }

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics], [MetricCollector.defaults, full])
    func theGoldenSnapshotAssemblesToItsFullRender(format: ExpositionFormat, collectors: Set<MetricCollector>) throws {
        let golden = try GoldenExpositionTests.snapshot()
        let fixture = Fixture([], collectors: collectors)
        try fixture.expectFullRender(format)
        fixture.store.setTargets(golden.targets)
        try fixture.expectFullRender(format)
        for atSign in golden.targets {
            if let result = golden.records[atSign]?.result { fixture.store.record(result) }
        }
        try fixture.expectFullRender(format)
    }

    /// The first scrape in a format comes after the probes: the atSigns are rendered then.
    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func aFormatFirstAskedForAfterProbesIsComplete(format: ExpositionFormat) throws {
        let fixture = Fixture(Self.atSigns(300))
        for atSign in Self.atSigns(250) { fixture.store.record(Self.result(atSign, round: 1)) }
        try fixture.expectFullRender(format)
        for atSign in Self.atSigns(300).suffix(100) { fixture.store.record(Self.result(atSign, round: 2)) }
        try fixture.expectFullRender(format)
    }

    /// The first scrape in a format renders an older snapshot than the one current when it
    /// installs its rendering: the atSigns recorded in between are rendered again.
    @Test func anActivationFromAnOlderSnapshotIsPatched() throws {
        let all = Self.atSigns(200)
        let fixture = Fixture(all)
        for atSign in all { fixture.store.record(Self.result(atSign, round: 1)) }
        let older = fixture.store.snapshot
        let index = fixture.page.index
        let capture = index.capture(.openMetrics)
        #expect(capture.segments == nil)
        let rendered = index.render(capture, from: older, format: .openMetrics)
        for atSign in all.prefix(30) { fixture.store.record(Self.result(atSign, round: 2)) }
        fixture.store.read { current in
            index.install(
                rendered, format: .openMetrics, layout: capture.layout, version: older.version, current: current)
        }
        #expect(index.capture(.openMetrics).segments != nil)
        try fixture.expectFullRender(.openMetrics)
    }

    @Test(arguments: [1, 7, 64, 65, 300])
    func changesOfAnySizeMatchTheFullRender(changed: Int) throws {
        let all = Self.atSigns(300)
        let fixture = Fixture(all)
        try fixture.expectFullRender(.openMetrics)
        for atSign in all { fixture.store.record(Self.result(atSign, round: 1)) }
        try fixture.expectFullRender(.openMetrics)
        for atSign in all.shuffled().prefix(changed) { fixture.store.record(Self.result(atSign, round: 2)) }
        try fixture.expectFullRender(.openMetrics)
        try fixture.expectFullRender(.prometheusText)
    }

    @Test func aReloadKeepsTheRenderingsOfKeptAtSigns() throws {
        let all = Self.atSigns(200)
        let fixture = Fixture(all)
        for atSign in all { fixture.store.record(Self.result(atSign, round: 1)) }
        try fixture.expectFullRender(.prometheusText)
        fixture.store.setTargets(Array(all[50..<180]) + [try AtSign("@aaa_new"), try AtSign("@zzz_new")])
        try fixture.expectFullRender(.prometheusText)
        fixture.store.record(Self.result(try AtSign("@aaa_new"), round: 3))
        fixture.store.record(Self.result(all[60], round: 3))
        try fixture.expectFullRender(.prometheusText)
    }

    /// A probe that only moved the duration (and so the probe counter) recompresses those two
    /// families' runs of its block, out of 10 blocks × 14 families.
    @Test func aChangedAtSignRecompressesOnlyItsBlocksChangedRuns() throws {
        let all = Self.atSigns(640)
        let fixture = Fixture(all)
        for atSign in all { fixture.store.record(Self.result(atSign, round: 1)) }
        try fixture.expectFullRender(.prometheusText)
        let before = fixture.page.compressedRuns
        // One that is not failing: a failing atSign has no duration series to move.
        let healthy = try #require(all[321...].first { Self.result($0, round: 1).failure == nil })
        var moved = Self.result(healthy, round: 1)
        moved.durationSeconds += 1
        fixture.store.record(moved)
        try fixture.expectFullRender(.prometheusText)
        #expect(fixture.page.compressedRuns - before == 2)
    }

    /// Gzip scrapes one after the other share one deflate stream (set up once: ~150 KiB
    /// allocated and cleared), whatever changed between them.
    @Test func gzipScrapesOneAfterTheOtherReuseOneDeflateStream() throws {
        let all = Self.atSigns(200)
        let fixture = Fixture(all)
        for round in 1...4 {
            for atSign in all.prefix(round * 10) { fixture.store.record(Self.result(atSign, round: round)) }
            try fixture.expectFullRender(round % 2 == 0 ? .openMetrics : .prometheusText)
        }
        #expect(fixture.page.deflatersMade == 1)
    }

    /// Tasks record results while others scrape; every scrape equals the full render of the
    /// snapshot version it reports.
    @Test func concurrentProbesAndScrapesEachMatchTheirVersion() async throws {
        let all = Self.atSigns(400)
        let fixture = Fixture(all)
        let log = Log()
        let keep = { @Sendable in log.versions.withLock { $0[fixture.store.snapshot.version] = fixture.store.snapshot }
        }
        keep()
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask {
                    for (index, atSign) in all.enumerated() where index % 4 == task {
                        log.writer.withLock { _ in
                            fixture.store.record(Self.result(atSign, round: index % 3))
                            keep()
                        }
                        if index % 16 == 0 { await Task.yield() }
                    }
                }
            }
            for task in 0..<3 {
                group.addTask {
                    for round in 0..<12 {
                        let format: ExpositionFormat = (round + task) % 2 == 0 ? .openMetrics : .prometheusText
                        let gzip = (round + task) % 3 == 0
                        let body = fixture.page.body(format: format, live: fixture.live, gzip: gzip)
                        log.scrapes.withLock { $0.append((format, gzip, body)) }
                        await Task.yield()
                    }
                }
            }
        }
        let saved = log.versions.withLock { $0 }
        for (format, gzip, body) in log.scrapes.withLock({ $0 }) {
            let snapshot = try #require(saved[body.version])
            let bytes = body.parts.flatMap { $0 }
            let plain = gzip ? try Gzip.decompress(bytes, limit: 1 << 26) : bytes
            #expect(plain == fixture.full(snapshot, format).bytes, "version \(body.version), gzip \(gzip)")
        }
    }
}

/// What the concurrent test keeps: every version's snapshot and every scrape.
private final class Log: Sendable {
    let versions = Mutex<[UInt64: Snapshot]>([:])
    /// Writers go through this lock so every version's snapshot is kept.
    let writer = Mutex(())
    let scrapes = Mutex<[(ExpositionFormat, Bool, ScrapePage.Body)]>([])
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
