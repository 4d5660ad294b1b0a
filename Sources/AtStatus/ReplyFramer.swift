import Basics
import NetIO

/// Reassembles atProtocol replies from reads split or merged anywhere (PROTOCOL.md §2.4, §3.2).
///
/// A reply ends at a `@` that follows a `\n`; the reply is the text before the `\n`, without a
/// trailing `\r`. The Dart client parses each read on its own and breaks on split replies.
public struct ReplyFramer: Sendable {
    /// A `scan` of a busy atServer can be megabytes; past this the reply is a protocol error.
    public static let defaultLimit = 8 * 1024 * 1024

    public let limit: Int
    private var buffer: [UInt8] = []
    /// Where the search for the terminator resumes, so a long reply is scanned once.
    private var scanned = 0

    public init(limit: Int = ReplyFramer.defaultLimit) {
        self.limit = limit
    }

    public var bufferedCount: Int { buffer.count }
    public var isEmpty: Bool { buffer.isEmpty }
    public var hasNewline: Bool { buffer.contains(UInt8(ascii: "\n")) }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete reply, nil when more bytes are needed.
    /// Throws `FramingError.tooLarge` once the pending reply passes the limit.
    public mutating func nextReply() throws(FramingError) -> [UInt8]? {
        var index = max(scanned, 1)
        while index < buffer.count {
            if buffer[index] == UInt8(ascii: "@") && buffer[index - 1] == UInt8(ascii: "\n") {
                var end = index - 1
                if end > 0 && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                scanned = 0
                if index == buffer.count - 1 { return takeBuffer(keeping: end) }
                let reply = Array(buffer[0..<end])
                buffer.removeSubrange(0...index)
                return reply
            }
            index += 1
        }
        scanned = max(buffer.count, 1)
        if buffer.count > limit { throw .tooLarge(limit: limit) }
        return nil
    }

    /// The common case, a reply that ends the buffer: the buffer itself becomes the reply, cut
    /// to `count`. A multi-megabyte `scan` is then neither copied nor its capacity kept here.
    private mutating func takeBuffer(keeping count: Int) -> [UInt8] {
        var reply: [UInt8] = []
        swap(&reply, &buffer)
        reply.removeSubrange(count...)
        return reply
    }

    /// Bytes the buffer can hold without growing: what an idle framer keeps allocated.
    var bufferCapacity: Int { buffer.capacity }

    /// Consumes the bare `@` prompt a server sends on connect. Returns nil when more bytes are
    /// needed, false when the first byte is something else (the buffer is left as it is).
    public mutating func consumePrompt() -> Bool? {
        guard let first = buffer.first else { return nil }
        guard first == UInt8(ascii: "@") else { return false }
        buffer.removeFirst()
        scanned = 0
        return true
    }

    /// What the end of the stream means here (PROTOCOL.md §4): before the first byte of a reply
    /// the peer just went away (a reset, `unavailable`); after bytes that never became a reply
    /// it answered wrongly (a protocol fault, `error`).
    public var endOfStreamError: NetError {
        if buffer.isEmpty { return .reset }
        return .protocolViolation(
            "the peer closed the connection after \"\(pendingText(maxBytes: 80))\", which is not a reply")
    }

    /// Everything buffered, as text for an error message (bounded, control characters escaped).
    public func pendingText(maxBytes: Int = 120) -> String {
        String(decoding: buffer.prefix(maxBytes), as: UTF8.self).debugEscaped
    }
}

public enum FramingError: Error, Sendable, Equatable {
    case tooLarge(limit: Int)
}
