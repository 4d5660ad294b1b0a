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
        let full = MetricsPage.render(snapshot, collector: collector, format: format, process: Self.process)
        let cache = ScrapeCache()
        for _ in 0..<2 {
            #expect(
                cache.body(snapshot, collector: collector, format: format, process: Self.process, gzip: false) == full)
            let zipped = cache.body(snapshot, collector: collector, format: format, process: Self.process, gzip: true)
            #expect(try Gzip.decompress(zipped) == full)
        }
    }

    @Test func aNewSnapshotVersionRendersAgain() throws {
        let store = SnapshotStore(rootAddress: "root.example:64")
        let cache = ScrapeCache()
        let render = { (shard: Int) in
            String(
                decoding: cache.body(
                    store.snapshot, collector: Collector(shard: shard, totalShards: 3), format: .prometheusText,
                    process: Self.process, gzip: false), as: UTF8.self)
        }
        #expect(render(1).contains("atsign_exporter_shard_ordinal 1"))
        // Same version: the cached part is reused, so the new collector is not asked.
        #expect(render(2).contains("atsign_exporter_shard_ordinal 1"))
        store.finishRound(seconds: 1)
        #expect(render(2).contains("atsign_exporter_shard_ordinal 2"))
        #expect(render(2).contains("process_open_fds 9\n"))
    }
}
