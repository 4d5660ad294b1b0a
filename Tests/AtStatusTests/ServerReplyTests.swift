import Testing

@testable import AtStatus

/// Replies are decoded from the bytes received, without a String copy of the whole reply.
@Suite struct ServerReplyTests {
    @Test func aLongScanWithNonASCIIKeysParses() throws {
        let keys = (0..<20_000).map { "key\($0)@ünïcode🦄" } + ["publickey@alice"]
        let json = "[" + keys.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        let reply = try ServerReply(Array(("data:" + json).utf8), command: "scan")
        #expect(try reply.keyNames() == keys)
    }

    @Test func invalidUTF8DeepInALongReplyIsRefused() {
        var bytes = Array(("data:[" + String(repeating: "\"k\",", count: 50_000)).utf8)
        bytes += [0xC3, 0x28] + Array("]".utf8)
        #expect(throws: ServerReplyError.self) { try ServerReply(bytes, command: "scan") }
        #expect(!ServerReply.isValidUTF8([0xE2, 0x82]))
        #expect(ServerReply.isValidUTF8(Array("é€🦄".utf8)))
    }

    @Test func errorAndUnexpectedRepliesQuoteTheirStart() {
        let long = "error:AT0011-" + String(repeating: "é", count: 500)
        #expect {
            try ServerReply(Array(long.utf8), command: "scan")
        } throws: { error in
            "\(error)" == "scan answered " + String(long.prefix(200))
        }
        #expect(throws: ServerReplyError.self) { try ServerReply(Array("hello".utf8), command: "lookup") }
        #expect(throws: ServerReplyError.self) { try ServerReply(Array("data:".utf8), command: "scan").keyNames() }
    }
}
