/// A connected byte stream, plain TCP or TLS. One reader and one writer at a time.
public protocol ByteStream: AnyObject, Sendable {
    /// Up to `maxBytes`; an empty array means the peer closed the stream.
    func read(maxBytes: Int, deadline: Deadline) async throws -> [UInt8]
    /// Writes every byte or throws.
    func write(_ bytes: [UInt8], deadline: Deadline) async throws
    /// Writes every part, in order, or throws; TCP gathers them with `writev`.
    func write(parts: [ArraySlice<UInt8>], deadline: Deadline) async throws
    /// Closes gracefully (TLS sends close_notify first). Idempotent; never throws.
    func close() async
}

extension ByteStream {
    /// Joins small parts into writes of up to 256 KiB, so TLS sends full records rather than
    /// one per part.
    public func write(parts: [ArraySlice<UInt8>], deadline: Deadline) async throws {
        let batch = 256 * 1024
        var pending: [UInt8] = []
        for part in parts {
            if pending.isEmpty && part.count >= batch {
                try await write(Array(part), deadline: deadline)
                continue
            }
            pending.append(contentsOf: part)
            if pending.count >= batch {
                try await write(pending, deadline: deadline)
                pending.removeAll(keepingCapacity: true)
            }
        }
        if !pending.isEmpty { try await write(pending, deadline: deadline) }
    }
}
