import Testing

@testable import Exporter

@Suite struct ConfigJSONReaderTests {
    @Test func readsValuesKeepingKeyOrderAndLines() throws {
        let value = try JSONReader.parse("{\"b\": [1, -2.5e3, true, null],\n\"a\": \"x\\n\\u00e9\\ud83d\\ude00\\\"\"}")
        #expect(
            value
                == .object([
                    JSONMember(
                        key: "b", value: .array([.number("1"), .number("-2.5e3"), .bool(true), .null]), line: 1),
                    JSONMember(key: "a", value: .string("x\né😀\""), line: 2),
                ]))
    }

    @Test(arguments: [
        ("{\"a\": 01}", "invalid number \"01\""),
        ("[1 2]", "expected \",\" or \"]\", found \"2\""),
        ("\"abc", "a string is not closed"),
        ("\"a\tb\"", "a string holds a raw control character (byte 9); escape it"),
        ("\"\\x\"", "unknown escape \"\\x\" in a string"),
        ("\"\\u12\"", "\\u must be followed by four hex digits"),
        ("\"\\ud83d\"", "a high surrogate \\u escape without its low half"),
        ("{} x", "unexpected text after the JSON value"),
        ("-", "invalid number \"-\""),
        (String(repeating: "[", count: 70), "nested deeper than 64 levels"),
    ])
    func rejectsMalformedJSON(text: String, reason: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONReader.parse(text) }
        do {
            _ = try JSONReader.parse(text)
        } catch {
            #expect(error.reason == reason)
        }
    }
}
