import CZlib

/// A run of bytes compressed on its own, to become part of a gzip member (`GzipMember`).
///
/// The deflate data ends with a sync flush (byte-aligned, no final bit) and starts from an
/// empty window, so chunks can be laid side by side in any order, each kept as long as its bytes
/// do not change; the member's CRC is combined from the chunks' (`crc32_combine`), as pigz does.
public struct DeflatedChunk: Sendable {
    /// Raw deflate blocks ending on a byte boundary, never final.
    public let compressed: [UInt8]
    /// CRC-32 of the uncompressed bytes.
    public let crc: UInt32
    /// Length of the uncompressed bytes.
    public let length: Int
    /// `crc32_combine_gen(length)`, made once with the chunk: appending it to a member is then
    /// one `crc32_combine_op` (a 32-step multiply) rather than `crc32_combine`'s log2(length)
    /// squarings, paid for every chunk of every scrape (half a gzip scrape's instructions
    /// after two changed atSigns, callgrind).
    public let crcOperator: UInt

    init(compressed: [UInt8], crc: UInt32, length: Int) {
        self.compressed = compressed
        self.crc = crc
        self.length = length
        crcOperator = UInt(crc32_combine_gen(off_t(length)))
    }
}

/// The CRC-32 and length of several chunks' bytes back to back, with the operator that joins
/// them to a member. A `/metrics` family is one chunk per block of atSigns (157 at 10,000): its
/// span is combined again only when one of them changes, not on every scrape (a quarter of a
/// gzip scrape's instructions were `crc32_combine_op`, callgrind).
public struct ChunkSpan: Sendable, Equatable {
    public let crc: UInt32
    public let length: Int
    public let crcOperator: UInt

    /// The span of the chunks at `start`, `start + step`... (as `GzipMember.append` takes them).
    public init(_ chunks: [DeflatedChunk], from start: Int = 0, every step: Int = 1) {
        var crc = crc32(0, nil, 0)
        var length = 0
        var index = start
        while index < chunks.count {
            let chunk = chunks[index]
            if chunk.length > 0 {
                crc = crc32_combine_op(crc, uLong(chunk.crc), uLong(chunk.crcOperator))
                length += chunk.length
            }
            index += step
        }
        self.crc = UInt32(crc)
        self.length = length
        crcOperator = UInt(crc32_combine_gen(off_t(length)))
    }
}

/// Compresses chunks one after the other through one zlib stream, reset between chunks: a
/// stream costs ~150 KiB to set up. A reset clears the hash table (`2 << (memLevel + 6)`
/// bytes), so the table is sized for chunks of a few KiB (`memoryLevel`) rather than zlib's
/// default 64 KiB, which cost more to clear than a run of 64 atSigns' lines costs to compress.
public final class ChunkDeflater {
    /// zlib's memLevel: a hash table of 4 K entries, 8 KiB (32 K, 64 KiB at zlib's default 8),
    /// and deflate blocks of up to 2,048 symbols. A run of 64 atSigns' lines compresses to
    /// within 2 % of the default's size (GzipMemberTests).
    public static let memoryLevel: Int32 = 5

    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    /// Level 1 by default: a chunk is compressed once per change, a scrape during a probe round
    /// waits for every changed one.
    public init(level: Int32 = 1, memoryLevel: Int32 = ChunkDeflater.memoryLevel) {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard czlib_deflate_init_raw(stream, level, memoryLevel) == Z_OK else {
            preconditionFailure("deflateInit2 failed: zlib is out of memory or the level \(level) is invalid")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// One chunk holding `parts` back to back.
    public func compress(_ parts: [ArraySlice<UInt8>]) -> DeflatedChunk {
        deflateReset(stream)
        let total = parts.reduce(0) { $0 + $1.count }
        output.removeAll(keepingCapacity: true)
        var crc = crc32(0, nil, 0)
        for part in parts where !part.isEmpty {
            part.withUnsafeBufferPointer { buffer in
                crc = crc32(crc, buffer.baseAddress, uInt(buffer.count))
                drive(input: buffer, flush: Z_NO_FLUSH)
            }
        }
        drive(input: UnsafeBufferPointer(start: nil, count: 0), flush: Z_SYNC_FLUSH)
        // A copy of exactly its size: `output` keeps its capacity for the next chunk.
        return DeflatedChunk(compressed: Array(output[...]), crc: UInt32(crc), length: total)
    }

    /// Feeds `input` and appends what deflate emits, until the input is taken and, for a
    /// flush, the output is complete (deflate left room in the scratch buffer).
    private func drive(input: UnsafeBufferPointer<UInt8>, flush: Int32) {
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.pointee.avail_in = uInt(input.count)
        scratch.withUnsafeMutableBufferPointer { scratch in
            while true {
                stream.pointee.next_out = scratch.baseAddress
                stream.pointee.avail_out = uInt(scratch.count)
                let code = deflate(stream, flush)
                precondition(code == Z_OK || code == Z_BUF_ERROR, "deflate failed with \(code)")
                let produced = scratch.count - Int(stream.pointee.avail_out)
                output.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<produced]))
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 { break }
            }
        }
        stream.pointee.next_in = nil
    }
}
