import Testing

@testable import AtStatus

@Suite struct ReplyFramerTests {
    private func replies(_ chunks: [String], limit: Int = ReplyFramer.defaultLimit) throws -> [String] {
        var framer = ReplyFramer(limit: limit)
        var out: [String] = []
        for chunk in chunks {
            framer.append(Array(chunk.utf8))
            while let reply = try framer.nextReply() { out.append(String(decoding: reply, as: UTF8.self)) }
        }
        return out
    }

    @Test func rootReplyWithCRLF() throws {
        #expect(try replies(["alice.example:6464\r\n@"]) == ["alice.example:6464"])
        #expect(try replies(["null\r\n@"]) == ["null"])
    }

    @Test func splitAtEveryByte() throws {
        let whole = "data:[\"publickey@alice\"]\n@data:null\n@"
        for cut in 1..<whole.utf8.count {
            let bytes = Array(whole.utf8)
            let parts = [
                String(decoding: bytes[..<cut], as: UTF8.self), String(decoding: bytes[cut...], as: UTF8.self),
            ]
            #expect(try replies(parts) == ["data:[\"publickey@alice\"]", "data:null"], "cut at \(cut)")
        }
    }

    @Test func oneByteAtATime() throws {
        let whole = "data:ok\n@error:AT0011-nope\n@"
        #expect(try replies(whole.map { String($0) }) == ["data:ok", "error:AT0011-nope"])
    }

    @Test func mergedRepliesComeOutInOrder() throws {
        #expect(try replies(["a\n@b\r\n@c\n@"]) == ["a", "b", "c"])
    }

    @Test func atSignInsideAReplyIsNotATerminator() throws {
        #expect(try replies(["data:[\"publickey@alice\"]\n@"]) == ["data:[\"publickey@alice\"]"])
    }

    @Test func incompleteReplyWaits() throws {
        #expect(try replies(["data:partial", "\n"]).isEmpty)
    }

    @Test func oversizedReplyIsRefused() {
        #expect(throws: FramingError.tooLarge(limit: 16)) {
            _ = try replies([String(repeating: "x", count: 17)], limit: 16)
        }
    }

    @Test func promptIsConsumedOnlyWhenItIsThere() {
        var framer = ReplyFramer()
        #expect(framer.consumePrompt() == nil)
        framer.append(Array("@".utf8))
        #expect(framer.consumePrompt() == true)
        framer.append(Array("server stopping\n".utf8))
        #expect(framer.consumePrompt() == false)
        #expect(framer.pendingText() == "server stopping\\n")
    }

    @Test func garbageWithoutFramingIsHeldUntilTheLimit() throws {
        var framer = ReplyFramer(limit: 64)
        framer.append([0xFF, 0x00, 0x40, 0x0A])
        #expect(try framer.nextReply() == nil)
        framer.append(Array(repeating: 0x41, count: 64))
        #expect(throws: FramingError.self) { try framer.nextReply() }
    }

    /// PROTOCOL.md §4: a close before any reply byte is a reset (unavailable); a close after
    /// bytes that never became a reply is the peer answering wrongly (error).
    @Test func endOfStreamMeansResetOnlyBeforeAnyReplyByte() throws {
        var framer = ReplyFramer()
        #expect(framer.endOfStreamError == .reset)
        framer.append(Array("data:[\"a\"]\n@".utf8))
        _ = try framer.nextReply()
        #expect(framer.endOfStreamError == .reset)
        framer.append([0x1B, 0x5B, 0x32, 0x4A, 0x21])
        guard case .protocolViolation(let message) = framer.endOfStreamError else {
            Issue.record("expected a protocol violation, got \(framer.endOfStreamError)")
            return
        }
        #expect(message.contains("\\u{1b}[2J!"), "control bytes are escaped in \(message)")
    }
}

/// A multi-megabyte `scan` is handed over, not copied, and the framer keeps nothing of it.
@Suite struct ReplyFramerMemoryTests {
    @Test func aReplyEndingTheBufferLeavesTheFramerWithoutItsCapacity() throws {
        var framer = ReplyFramer()
        let payload = "data:[" + String(repeating: "\"publickey@k\",", count: 100_000) + "\"k\"]"
        framer.append(Array((payload + "\r\n@").utf8))
        let reply = try #require(try framer.nextReply())
        #expect(reply == Array(payload.utf8))
        #expect(framer.bufferCapacity < 1024)
        #expect(framer.isEmpty)
    }

    @Test func aReplyFollowedByMoreBytesLeavesThemBuffered() throws {
        var framer = ReplyFramer()
        framer.append(Array("data:a\n@data:b".utf8))
        #expect(try framer.nextReply() == Array("data:a".utf8))
        framer.append(Array("\n@".utf8))
        #expect(try framer.nextReply() == Array("data:b".utf8))
    }
}
