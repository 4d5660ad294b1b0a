import CZlib
import Foundation
import TestSupport
import Testing

@testable import WebServer

/// Members assembled from separately compressed chunks (pigz style) are ordinary gzip.
@Suite struct GzipMemberTests {
    static let lines = (0..<40_000).map { Array("atsign_up{atsign=\"@sim\($0)\"} \($0 % 2)\n".utf8) }

    static func member(_ chunks: [DeflatedChunk]) -> [UInt8] {
        var member = GzipMember()
        for chunk in chunks { member.append(chunk) }
        return member.finish().flatMap { $0 }
    }

    @Test func chunksLaidSideBySideDecompressToTheirConcatenation() throws {
        let deflater = ChunkDeflater()
        let groups = stride(from: 0, to: Self.lines.count, by: 64).map {
            Array(Self.lines[$0..<min($0 + 64, Self.lines.count)])
        }
        let chunks = groups.map { group in deflater.compress(group.map { $0[...] }) }
        let zipped = Self.member(chunks)
        let plain = Self.lines.flatMap { $0 }
        #expect(try Gzip.decompress(zipped, limit: 1 << 26) == plain)
        #expect(zipped.count < plain.count / 4)
    }

    @Test func aChangedChunkIsReplacedAloneAndTheCRCStillHolds() throws {
        let deflater = ChunkDeflater()
        var texts = ["alpha\n", "beta\n", "gamma\n", String(repeating: "delta 1\n", count: 5000)].map { Array($0.utf8) }
        var chunks = texts.map { deflater.compress([$0[...]]) }
        texts[1] = Array("beta changed\n".utf8)
        chunks[1] = deflater.compress([texts[1][...]])
        #expect(try Gzip.decompress(Self.member(chunks), limit: 1 << 26) == texts.flatMap { $0 })
    }

    @Test func emptyMembersAndEmptyChunksAreValid() throws {
        let deflater = ChunkDeflater()
        #expect(try Gzip.decompress(Self.member([])) == [])
        let empty = deflater.compress([])
        #expect(empty.length == 0)
        #expect(
            try Gzip.decompress(Self.member([empty, deflater.compress([Array("x\n".utf8)[...]])])) == Array("x\n".utf8))
    }

    /// A span of chunks appended at once gives the bytes their chunks give one by one (the CRC
    /// joined with one operator instead of one per chunk), empty chunks and spans included.
    @Test func aSpanAppendsTheBytesItsChunksWould() throws {
        let deflater = ChunkDeflater()
        let texts = [[], Array("one\n".utf8)] + (0..<50).map { Self.lines[$0 * 3] + Self.lines[$0 * 7] }
        let chunks = texts.map { deflater.compress([$0[...]]) }
        let head = deflater.compress([Array("# HELP x\n".utf8)[...]])
        var spanned = GzipMember()
        spanned.append(head)
        spanned.append(chunks, span: ChunkSpan(chunks))
        spanned.append([], span: ChunkSpan([]))
        let bytes = spanned.finish().flatMap { $0 }
        #expect(bytes == Self.member([head] + chunks))
        #expect(try Gzip.decompress(bytes, limit: 1 << 26) == Array("# HELP x\n".utf8) + texts.flatMap { $0 })
        // Every third chunk from the second: a family's chunks in a block-major array.
        var strided = GzipMember()
        strided.append(chunks, from: 1, every: 3, span: ChunkSpan(chunks, from: 1, every: 3))
        let picked = stride(from: 1, to: chunks.count, by: 3).map { chunks[$0] }
        #expect(strided.finish().flatMap { $0 } == Self.member(picked))
    }

    /// A chunk's CRC operator joins CRCs exactly as `crc32_combine` with its length does.
    @Test(arguments: [0, 1, 63, 4_096, 1 << 20])
    func theCRCOperatorCombinesLikeCRC32Combine(length: Int) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let chunk = ChunkDeflater().compress([bytes[...]])
        let first = crc32(0, Array("before".utf8), 6)
        #expect(
            crc32_combine_op(first, uLong(chunk.crc), uLong(chunk.crcOperator))
                == crc32_combine(first, uLong(chunk.crc), off_t(length)))
    }

    /// The small hash table (`ChunkDeflater.memoryLevel`) costs little: a run of 64 atSigns'
    /// lines compresses within 2 % of zlib's default table.
    @Test func theSmallHashTableCompressesRunsAlmostAsWell() {
        let run = Self.lines[1_000..<1_064].flatMap { $0 }
        let small = ChunkDeflater().compress([run[...]]).compressed.count
        let standard = ChunkDeflater(memoryLevel: 8).compress([run[...]]).compressed.count
        #expect(Double(small) <= 1.02 * Double(standard))
    }

    /// The system's `gzip -t` accepts the member: not only our own zlib reads it back.
    @Test func gzipTestAcceptsTheMember() async throws {
        let deflater = ChunkDeflater()
        let chunks = stride(from: 0, to: 4_000, by: 100).map { start in
            deflater.compress(Self.lines[start..<start + 100].map { $0[...] })
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "member-\(UInt64.random(in: 0...UInt64.max)).gz")
        try Data(Self.member(chunks)).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let run = try await ProcessRunner.run("/bin/gzip", ["-t", path.path])
        #expect(run.status == 0, "\(run.combined)")
    }
}
