import AtStatus
import Foundation
import FuzzSupport

/// Frames the payload with `ReplyFramer` (whole, then in the chunks the header picks) the way
/// `ProtocolConnection` does, and reads every reply as a root answer (`host:port` or `null`).
/// Framing must not depend on the cut points: the replies agree, and an input refused whole is
/// refused in chunks. A 256-byte limit puts the too-large path within reach of the short inputs
/// libFuzzer starts with.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRootReply(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let expectPrompt = input.selector % 2 == 1
    let whole = FramingOutcome(chunks: [input.payload[...]], expectPrompt: expectPrompt)
    let split = FramingOutcome(chunks: input.chunks, expectPrompt: expectPrompt)
    if whole.tooLarge { fuzzCheck(split.tooLarge, "refused whole but not in chunks") }
    if split.tooLarge {
        fuzzCheck(whole.replies.starts(with: split.replies), "chunked replies are not a prefix of the whole's")
    } else {
        fuzzCheck(whole.replies == split.replies, "chunked replies differ: \(whole.replies) \(split.replies)")
    }
    for reply in whole.replies { interpretAsRootAnswer(reply) }
    return 0
}

let limit = 256

struct FramingOutcome {
    var replies: [[UInt8]] = []
    var tooLarge = false

    init(chunks: [ArraySlice<UInt8>], expectPrompt: Bool) {
        var framer = ReplyFramer(limit: limit)
        var promptPending = expectPrompt
        for chunk in chunks where !tooLarge {
            framer.append(chunk)
            if promptPending, let consumed = framer.consumePrompt() {
                promptPending = false
                if !consumed { _ = framer.pendingText(maxBytes: 300) }
            }
            if promptPending { continue }
            do {
                while let reply = try framer.nextReply() {
                    fuzzCheck(!holdsTerminator(reply), "a reply holds the terminator")
                    replies.append(reply)
                }
                fuzzCheck(framer.bufferedCount <= limit, "\(framer.bufferedCount) bytes pending past the limit")
            } catch {
                fuzzCheck(error == .tooLarge(limit: limit), "unexpected error \(error)")
                tooLarge = true
            }
        }
    }
}

/// Whether `\n@` occurs: the framer must have ended the reply there.
func holdsTerminator(_ reply: [UInt8]) -> Bool {
    zip(reply, reply.dropFirst()).contains { $0 == UInt8(ascii: "\n") && $1 == UInt8(ascii: "@") }
}

/// What `RootDirectory` does with a reply: `null`, or an address that must survive a round trip
/// through its description (the form it is logged and encoded in).
func interpretAsRootAnswer(_ reply: [UInt8]) {
    let text = String(decoding: reply, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard text != "null", let address = try? ServerAddress(parsing: text) else { return }
    fuzzCheck(!address.host.isEmpty && (1...65535).contains(address.port), "accepted \(text) as \(address)")
    let again = try? ServerAddress(parsing: address.description)
    fuzzCheck(again == address, "\(text) → \(address) does not parse back to itself")
    let root = try? RootAddress(parsing: "proxy:" + text)
    fuzzCheck(root == .proxy(address), "proxy:\(text) is not the proxy form of \(address)")
}
