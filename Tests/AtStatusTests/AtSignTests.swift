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

    /// The root's buffer holds 255 UTF-16 code units including the `\n`: keys of 254 units fit,
    /// whatever their UTF-8 length (127 emoji are 508 bytes), and 255 units do not.
    @Test func lengthLimitIsTheRootLineBufferLessItsNewline() throws {
        #expect(try AtSign(String(repeating: "a", count: 254)).withoutPrefix.utf16.count == 254)
        #expect(try AtSign(String(repeating: "é", count: 254)).withoutPrefix.utf8.count == 508)
        #expect(try AtSign(String(repeating: "🦄", count: 127)).withoutPrefix.utf16.count == 254)
        #expect {
            _ = try AtSign(String(repeating: "a", count: 255))
        } throws: { error in
            (error as? AtSignError)?.description.contains("255 characters long (UTF-16 code units") ?? false
        }
        #expect {
            _ = try AtSign("@" + String(repeating: "🦄", count: 127) + "a")
        } throws: { error in
            (error as? AtSignError)?.problem == .tooLong(255)
        }
    }
}
