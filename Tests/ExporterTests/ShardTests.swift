import AtStatus
import Testing

@testable import Exporter

@Suite struct ShardTests {
    /// Reference values computed outside Swift (Python FNV-1a 64 over the UTF-8 bytes), so a
    /// change of algorithm, seed or normalisation fails here.
    static let vectors: [(String, UInt64)] = [
        ("", 14_695_981_039_346_656_037), ("a", 12_638_187_200_555_641_996),
        ("@alice", 13_660_507_814_733_580_361), ("@bob", 8_703_534_582_753_596_750),
        ("@colin", 8_431_527_312_468_456_796), ("@😀emoji", 15_729_176_147_791_076_904),
        ("@atsign_exporter", 4_513_857_795_401_894_057),
    ]

    @Test(arguments: vectors)
    func fnv1aMatchesReferenceValues(text: String, hash: UInt64) {
        #expect(Shard.fnv1a64(text.utf8) == hash)
    }

    @Test func assignsKnownAtSignsToFixedShards() throws {
        let alice = try AtSign(" @Alice ")
        #expect(Shard.index(of: alice, totalShards: 2) == 1)
        #expect(Shard.index(of: alice, totalShards: 3) == 2)
        #expect(Shard.index(of: alice, totalShards: 7) == 1)
        #expect(Shard.index(of: try AtSign("bob"), totalShards: 7) == 3)
        #expect(Shard.index(of: try AtSign("@😀EMOJI"), totalShards: 7) == 3)
        #expect(Shard.owns(alice, shard: 1, totalShards: 2))
        #expect(!Shard.owns(alice, shard: 0, totalShards: 2))
    }

    @Test(arguments: 1...7)
    func shardsPartitionTheAtSignsEvenly(totalShards: Int) throws {
        let atSigns = try (0..<10_000).map { try AtSign("@user\($0)") }
        var counts = Array(repeating: 0, count: totalShards)
        for atSign in atSigns {
            let owners = (0..<totalShards).filter { Shard.owns(atSign, shard: $0, totalShards: totalShards) }
            #expect(owners.count == 1)
            counts[owners[0]] += 1
        }
        #expect(counts.reduce(0, +) == atSigns.count)
        let expected = Double(atSigns.count) / Double(totalShards)
        for count in counts { #expect(abs(Double(count) - expected) < expected * 0.1) }
    }

    @Test func settingsKeepOnlyTheirShard() throws {
        var settings = Settings()
        settings.atSigns = try ["@alice", "@bob", "@colin"].map { try AtSign($0) }
        settings.totalShards = 2
        settings.shard = 0
        #expect(settings.atSignsInShard.map(\.name) == ["@bob", "@colin"])
        settings.shard = 1
        #expect(settings.atSignsInShard.map(\.name) == ["@alice"])
    }
}
