/// A connected byte stream, plain TCP or TLS. One reader and one writer at a time.
public protocol ByteStream: AnyObject, Sendable {
    /// Up to `maxBytes`; an empty array means the peer closed the stream.
    func read(maxBytes: Int, deadline: Deadline) async throws -> [UInt8]
    /// Writes every byte or throws.
    func write(_ bytes: [UInt8], deadline: Deadline) async throws
    /// Closes gracefully (TLS sends close_notify first). Idempotent; never throws.
    func close() async
}
