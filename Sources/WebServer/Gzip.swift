import CZlib

/// gzip (RFC 1952) through zlib, for `/metrics` bodies that reach megabytes with many atSigns.
public enum Gzip {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var operation: String
        public var code: Int32
        public var description: String { "zlib \(operation) failed with code \(code)" }
    }

    /// The gzip member holding `bytes`. Level 6 is zlib's default balance of size and CPU.
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        guard czlib_deflate_init_gzip(&stream, level) == Z_OK else {
            preconditionFailure("deflateInit2 failed: zlib is out of memory or the level \(level) is invalid")
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 32)
        var input = bytes
        let result = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.next_in = inputBuffer.baseAddress
                stream.avail_in = uInt(inputBuffer.count)
                stream.next_out = outputBuffer.baseAddress
                stream.avail_out = uInt(outputBuffer.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        precondition(result == Z_STREAM_END, "deflate into a deflateBound buffer must finish, got \(result)")
        output.removeLast(output.count - Int(stream.total_out))
        return output
    }

    /// Inflates a gzip member, refusing to grow past `limit` bytes (a zip bomb guard).
    public static func decompress(_ bytes: [UInt8], limit: Int = 64 << 20) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        guard czlib_inflate_init_gzip(&stream) == Z_OK else { throw Failure(operation: "inflateInit2", code: -1) }
        defer { inflateEnd(&stream) }
        var input = bytes
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var code = Z_OK
        input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            while code == Z_OK && output.count <= limit {
                chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    code = inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
            }
        }
        if output.count > limit { throw Failure(operation: "inflate (output over \(limit) bytes)", code: Z_BUF_ERROR) }
        guard code == Z_STREAM_END else { throw Failure(operation: "inflate", code: code) }
        return output
    }
}
