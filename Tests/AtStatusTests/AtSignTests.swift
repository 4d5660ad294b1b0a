import Foundation
import Testing

@testable import AtStatus

@Suite struct AtSignTests {
    @Test(arguments: ["@alice", "alice", " @alice ", "@Alice", "ALICE", "\t@alIce\n"])
    func normalises(input: String) throws {
        #expect(try AtSign(input).name == "@alice")
    }

    @Test func keepsUnicodeLettersAndEmoji() throws {
        #expect(try AtSign("@Ünïcode🦄").name == "@ünïcode🦄")
        #expect(try AtSign("@42").withoutPrefix == "42")
    }

    @Test(arguments: [
        ("", "the name after @ is empty"),
        ("@", "the name after @ is empty"),
        ("   ", "the name after @ is empty"),
        ("@al ice", "it holds whitespace"),
        ("@al\u{00A0}ice", "it holds whitespace"),
        ("@al\u{7}ice", "control character U+7"),
        ("@al\u{7F}ice", "control character U+7F"),
        ("@al@ice", "forbidden '@'"),
        ("@@alice", "forbidden '@'"),
        ("@al:ice", "forbidden ':'"),
        ("@al\"ice", "forbidden '\"'"),
    ])
    func rejects(input: String, expected: String) {
        #expect {
            _ = try AtSign(input)
        } throws: { error in
            let message = (error as? AtSignError)?.description ?? ""
            return message.contains(expected) && message.hasPrefix("invalid atSign \"")
        }
    }

    @Test func errorQuotesTheInputWithControlCharactersEscaped() {
        #expect(throws: AtSignError.self) { try AtSign("a\nb") }
        do {
            _ = try AtSign("a\nb")
        } catch {
            #expect(error.description == "invalid atSign \"a\\nb\": it holds whitespace")
        }
    }

    @Test func lengthLimitIsTheRootLineBuffer() throws {
        #expect(try AtSign(String(repeating: "a", count: 255)).withoutPrefix.utf8.count == 255)
        #expect {
            _ = try AtSign(String(repeating: "é", count: 128))
        } throws: { error in
            (error as? AtSignError)?.description.contains("256 bytes long, at most 255 allowed") ?? false
        }
    }
}
