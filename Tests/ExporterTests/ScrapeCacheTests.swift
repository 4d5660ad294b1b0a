import Exposition
import Testing
import WebServer

@testable import Exporter

@Suite struct ScrapeCacheTests {
    static let process = ProcessMetrics(
        cpuSeconds: 1.5, residentBytes: 1e7, virtualBytes: 2e7, openFDs: 9, maxFDs: 1024, startTimeSeconds: 1.7e9,
        threads: 5)

    @Test(arguments: [ExpositionFormat.prometheusText, .openMetrics])
    func cachedBodyIsByteForByteAFullRender(format: ExpositionFormat) throws {
        let snapshot = try GoldenExpositionTests.snapshot()
        let collector = Collector(shard: 1, totalShards: 3)
        let live = Collector.liveFamilies(serving: GoldenExpositionTests.servingStats(), process: Self.process)
        let full = MetricsPage.render(snapshot, collector: collector, format: format, live: live)
        let cache = ScrapeCache()
        for _ in 0..<2 {
            let plain = cache.body(snapshot, collector: collector, format: format, live: live, gzip: false)
            #expect(plain.bytes == full.bytes && plain.series == full.series)
            let zipped = cache.body(snapshot, collector: collector, format: format, live: live, gzip: true)
            #expect(try Gzip.decompress(zipped.bytes) == full.bytes)
        }
        let text = String(decoding: full.bytes, as: UTF8.self)
        let samples = text.split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(full.series == samples.count)
    }

    @Test func aNewSnapshotVersionRendersAgain() throws {
        let store = SnapshotStore(rootAddress: "root.example:64")
        let cache = ScrapeCache()
        let render = { (shard: Int) in
            String(
                decoding: cache.body(
                    store.snapshot, collector: Collector(shard: shard, totalShards: 3), format: .prometheusText,
                    live: Collector.processFamilies(Self.process), gzip: false
                ).bytes, as: UTF8.self)
        }
        #expect(render(1).contains("atsign_exporter_shard_ordinal 1"))
        // Same version: the cached part is reused, so the new collector is not asked.
        #expect(render(2).contains("atsign_exporter_shard_ordinal 1"))
        store.finishRound(seconds: 1)
        #expect(render(2).contains("atsign_exporter_shard_ordinal 2"))
        #expect(render(2).contains("process_open_fds 9\n"))
    }
}
