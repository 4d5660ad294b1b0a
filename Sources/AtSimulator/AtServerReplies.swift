import AtStatus
import Foundation

/// What a simulated atServer does in answer to one command line.
enum AtServerAction: Equatable {
    /// Send these bytes, then the `\n@` that ends every reply.
    case reply([UInt8])
    /// Send a 50 MB `scan` reply.
    case huge
    /// Send these bytes (a reply cut short), then drop the TCP connection with a reset.
    case reset([UInt8])
    /// Send close_notify and close: the client said `@exit`.
    case close
}

/// The replies of an atServer (PROTOCOL.md §3), as a pure function of the command, so the
/// bytes of every scenario are testable without sockets.
enum AtServerReplies {
    /// A made-up RSA public key in the shape the real `lookup:publickey@x` returns.
    static let publicKey =
        "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsimulatedpublickeyAAAAAAAAAAAAAAAAAAAAAAAAAAIDAQAB"
    static let errorReplyText = "error:AT0003-Server error"
    static let hugeSize = 50 * 1024 * 1024
    static let version = "3.0.52"

    static func action(for line: String, atSign: AtSign, scenario: Scenario, uptimeMillis: Int) -> AtServerAction {
        let command = line.trimmingCharacters(in: .whitespaces)
        let body = atSign.withoutPrefix
        if command == "@exit" || command == "exit" { return .close }
        if command == "scan" || command.hasPrefix("scan ") { return scan(atSign: atSign, scenario: scenario) }
        if command.hasPrefix("lookup:") {
            let key = String(command.dropFirst("lookup:".count))
            if key == "publickey@\(body)" && scenario != .teapot {
                return text(scenario == .ready ? "data:null" : "data:\(publicKey)")
            }
            return text("error:AT0015-key not found : \(key) does not exist in keystore")
        }
        if command == "info:brief" {
            return text(#"data:{"version":"\#(version)","uptimeAsMillis":\#(uptimeMillis)}"#)
        }
        if command.hasPrefix("from:") {
            return text("data:_70726f78-7973-696d-756c-61746f720000@\(body):simulated-challenge")
        }
        let verb = command.prefix { $0 != ":" && $0 != " " }
        return text("error:AT0011-Internal server exception : invalid command \(verb)")
    }

    private static func scan(atSign: AtSign, scenario: Scenario) -> AtServerAction {
        let body = atSign.withoutPrefix
        let listing = #"data:["publickey@\#(body)","signing_publickey@\#(body)"]"#
        switch scenario {
        case .teapot: return text("data:[]")
        case .errorReply: return text(errorReplyText)
        case .huge: return .huge
        case .reset: return .reset(Array(#"data:["publickey@\#(body)","sig"#.utf8))
        case .invalidUTF8:
            return .reply(Array(#"data:["publickey@\#(body)",""#.utf8) + [0xFF, 0xFE, 0xC3] + Array(#""]"#.utf8))
        default: return text(listing)
        }
    }

    private static func text(_ reply: String) -> AtServerAction { .reply(Array(reply.utf8)) }

    /// Bytes that are neither `data:` nor `error:` (no `@`, no newline), sent by a garbage
    /// server; the caller ends them with `\n@` so the client sees one complete, malformed reply.
    static func garbage(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed | 1
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let byte = UInt8(truncatingIfNeeded: state)
            return byte == UInt8(ascii: "@") || byte == UInt8(ascii: "\n") ? UInt8(ascii: "#") : byte
        }
    }

    /// The 50 MB reply in chunks: `data:["huge00000000@x",...` then `"]`, written piece by piece
    /// so it is never held whole.
    static func hugeChunks(atSign: AtSign, chunkSize: Int = 64 * 1024) -> AnyIterator<[UInt8]> {
        let entry = Array(#""filler-key-entry@\#(atSign.withoutPrefix)","#.utf8)
        let perChunk = max(1, chunkSize / entry.count)
        let chunk = Array([[UInt8]](repeating: entry, count: perChunk).joined())
        var sent = 0
        var finished = false
        return AnyIterator {
            if finished { return nil }
            if sent == 0 {
                sent += 6
                return Array("data:[".utf8)
            }
            if sent >= hugeSize {
                finished = true
                return Array(#""end"]"#.utf8)
            }
            sent += chunk.count
            return chunk
        }
    }
}
