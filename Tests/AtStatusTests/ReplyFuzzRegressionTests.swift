import Foundation
import Testing

@testable import AtStatus

/// Inputs the FuzzRootReply target stopped on, replayed from Tests/FuzzCorpus/FuzzRootReply.
/// Each starts with 3 bytes that steer the harness (prompt, chunking); the framer sees the rest.
@Suite struct ReplyFuzzRegressionTests {
    static func corpusInput(_ target: String, _ name: String, header: Int) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("FuzzCorpus/\(target)/\(name)")
        return Array(try Data(contentsOf: url).dropFirst(header))
    }

    /// A root answering `[[x]]:1` gave host `[x]`, whose description `[x]:1` parses back as host
    /// `x`: the address logged and encoded was not the one used. Brackets inside the host are
    /// now refused, as the config file's address parser already did.
    @Test func rootAnswerWithNestedBrackets() throws {
        let bytes = try Self.corpusInput(
            "FuzzRootReply", "crash-6f2b3ebb9d76cdc46bbdd829964297efe8e59082", header: 3)
        var framer = ReplyFramer(limit: 4096)
        framer.append(bytes)
        let reply = try #require(try framer.nextReply())
        #expect {
            _ = try ServerAddress(parsing: String(decoding: reply, as: UTF8.self))
        } throws: { error in
            (error as? AddressError)?.description
                == #"invalid address "[[x]]:1": missing ":port" after "]""#
        }
        for text in ["[a]]:1", "a[b:1", "[:1]:1]:2"] {
            #expect(throws: AddressError.self, "\(text)") { try ServerAddress(parsing: text) }
        }
        #expect(try ServerAddress(parsing: "[::1]:6464").description == "[::1]:6464")
        #expect(try ServerAddress(parsing: "[host]:64") == ServerAddress(host: "host", port: 64))
    }

    /// FuzzServerReply stopped on `data:` followed by a combining mark (U+065A): the payload is
    /// that mark, byte for byte (the harness had compared Strings, where the mark joins ":").
    @Test func dataReplyStartingWithACombiningMark() throws {
        let bytes = try Self.corpusInput(
            "FuzzServerReply", "crash-cd7dd51d0a90cab5f43570b0874b477e994b9299", header: 0)
        let reply = try ServerReply(bytes, command: "scan")
        #expect(Array(reply.payload.utf8) == [0xD9, 0x9A])
    }
}
