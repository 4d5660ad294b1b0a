import CZlib
import Synchronization

/// A gzip stream paused after a long prefix, so that many bodies sharing the prefix pay for
/// compressing it once: a `/metrics` body is megabytes of atSign series that only change when
/// a probe ends, followed by a few lines of process metrics that change every scrape.
///
/// `finish(with:)` copies the paused deflate state (`deflateCopy`, which carries the running
/// CRC and length) and ends the copy with the suffix, so every result is one ordinary gzip member.
public final class GzipPrefix: Sendable {
    /// Read (copied) under `lock` only; never advanced after `init`.
    private nonisolated(unsafe) let paused: UnsafeMutablePointer<z_stream>
    private let lock = Mutex(())
    private let prefixOutput: [UInt8]
    public let level: Int32

    public init(prefix: [UInt8], level: Int32 = 1) {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard czlib_deflate_init_gzip(stream, level) == Z_OK else {
            preconditionFailure("deflateInit2 failed: zlib is out of memory or the level \(level) is invalid")
        }
        var output: [UInt8] = []
        output.reserveCapacity(prefix.count / 8)
        Self.drive(stream, input: prefix, flush: Z_NO_FLUSH, into: &output)
        self.level = level
        prefixOutput = output
        paused = stream
    }

    deinit {
        deflateEnd(paused)
        paused.deallocate()
    }

    /// The gzip member of `prefix + suffix`.
    public func finish(with suffix: [UInt8]) -> [UInt8] {
        let copy = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        copy.initialize(to: z_stream())
        defer { copy.deallocate() }
        let copied = lock.withLock { _ in deflateCopy(copy, paused) }
        precondition(copied == Z_OK, "deflateCopy failed with \(copied)")
        defer { deflateEnd(copy) }
        var output = prefixOutput
        Self.drive(copy, input: suffix, flush: Z_FINISH, into: &output)
        return output
    }

    /// Feeds `input` and collects everything deflate emits; with `Z_FINISH`, until the end.
    private static func drive(
        _ stream: UnsafeMutablePointer<z_stream>, input: [UInt8], flush: Int32, into output: inout [UInt8]
    ) {
        var input = input
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.pointee.next_in = inputBuffer.baseAddress
            stream.pointee.avail_in = uInt(inputBuffer.count)
            while true {
                let code = chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.pointee.next_out = chunkBuffer.baseAddress
                    stream.pointee.avail_out = uInt(chunkBuffer.count)
                    return deflate(stream, flush)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.pointee.avail_out))])
                if code == Z_STREAM_END { return }
                precondition(code == Z_OK || code == Z_BUF_ERROR, "deflate failed with \(code)")
                if flush != Z_FINISH && stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 { return }
            }
        }
        stream.pointee.next_in = nil
    }
}
