import CZlib

/// Lays `DeflatedChunk`s side by side as one gzip member (RFC 1952): header, the chunks' deflate
/// data, an empty final block, then the CRC and length of everything, combined from the chunks'.
/// The result is a list of parts to send with `writev`; no chunk is copied.
public struct GzipMember {
    /// No name, no time (bodies must not depend on when they were made), OS unknown.
    static let header: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
    /// A final fixed-Huffman block holding only its end code: what `deflate(Z_FINISH)` emits
    /// after a sync flush.
    static let finalBlock: [UInt8] = [0x03, 0x00]

    public private(set) var parts: [ArraySlice<UInt8>] = [header[...]]
    private var crc = crc32(0, nil, 0)
    private var length = 0

    public init() {}

    public mutating func append(_ chunk: DeflatedChunk) {
        guard chunk.length > 0 else { return }
        parts.append(chunk.compressed[...])
        crc = crc32_combine_op(crc, uLong(chunk.crc), uLong(chunk.crcOperator))
        length += chunk.length
    }

    /// The chunks at `start`, `start + step`... of `chunks` (one family's, in a block-major
    /// array), of which `span` is the summary: their CRC is joined to the member's with one
    /// operator, not one per chunk. Concrete types: generic over a sequence, called from
    /// another module, each element went through the runtime's metadata lookups (callgrind).
    public mutating func append(_ chunks: [DeflatedChunk], from start: Int = 0, every step: Int = 1, span: ChunkSpan) {
        var index = start
        while index < chunks.count {
            if chunks[index].length > 0 { parts.append(chunks[index].compressed[...]) }
            index += step
        }
        guard span.length > 0 else { return }
        crc = crc32_combine_op(crc, uLong(span.crc), uLong(span.crcOperator))
        length += span.length
    }

    /// The member's parts, ended; `append` must not be called after.
    public mutating func finish() -> [ArraySlice<UInt8>] {
        var trailer = Self.finalBlock
        trailer.reserveCapacity(10)
        for value in [UInt32(truncatingIfNeeded: crc), UInt32(truncatingIfNeeded: length)] {
            for shift in stride(from: 0, to: 32, by: 8) { trailer.append(UInt8(truncatingIfNeeded: value >> shift)) }
        }
        parts.append(trailer[...])
        return parts
    }

    /// Uncompressed bytes appended so far.
    public var uncompressedCount: Int { length }
}
