import ConfigText
import Testing

@Suite struct YAMLReadingTests {
    private func entries(_ text: String) throws -> [ConfigEntry] {
        let node = try ConfigReader.parse(text, syntax: .yaml)
        guard case .mapping(let entries) = node.value else {
            Issue.record("expected a mapping, found \(node.kind)")
            return []
        }
        return entries
    }

    @Test func scalarsCommentsAndLines() throws {
        let entries = try entries(
            """
            a: "x # not a comment" # a comment
            b: 'it''s'
            c: plain text with colon
            "d e": "\\u00e9\\t\\"q\\""
            f: []
            g: [ 'x, y' , z ]
            h:
            - one
            - "two"
            i: a#b
            j: |
              block
            k: ~
            """)
        let expected: [(String, ConfigNode.Value)] = [
            ("a", .scalar("x # not a comment", quoted: true)), ("b", .scalar("it's", quoted: true)),
            ("c", .scalar("plain text with colon", quoted: false)), ("d e", .scalar("é\t\"q\"", quoted: true)),
            ("f", .list([])),
            (
                "g",
                .list([
                    ConfigNode(.scalar("x, y", quoted: true), line: 6),
                    ConfigNode(.scalar("z", quoted: false), line: 6),
                ])
            ),
            (
                "h",
                .list([
                    ConfigNode(.scalar("one", quoted: false), line: 8),
                    ConfigNode(.scalar("two", quoted: true), line: 9),
                ])
            ),
            ("i", .scalar("a#b", quoted: false)), ("j", .scalar("block\n", quoted: true)), ("k", .null),
        ]
        #expect(entries.map(\.key) == expected.map(\.0))
        #expect(entries.map(\.node.value) == expected.map(\.1))
        #expect(entries.map(\.line) == [1, 2, 3, 4, 5, 6, 7, 10, 11, 13])
    }

    @Test func emptyTextIsNull() throws {
        #expect(try ConfigReader.parse("", syntax: .yaml) == ConfigNode(.null, line: 1))
        #expect(try ConfigReader.parse("# only a comment\n", syntax: .yaml).value == .null)
    }

    @Test(arguments: [
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key \"a\" (first on line 1)"),
        ("a:\n  b: 1\n  b: 2\n", 3, "duplicate key \"b\" (first on line 2)"),
        ("a: &x 1\nb: *x\n", 1, "anchors, aliases and tags (&, *, !) are not supported"),
        ("a: !!str 1\n", 1, "anchors, aliases and tags (&, *, !) are not supported"),
        ("a: 1\n---\nb: 2\n", 2, "\"---\": only one YAML document is supported"),
        ("? [a]\n: 1\n", 1, "a key must be a single value, not a list"),
        ("a:\n\t b: c\n", 2, "a tab where YAML allows only spaces (indent with spaces)"),
        (String(repeating: "[", count: 70), 1, "nested deeper than 64 levels"),
    ])
    func refusals(text: String, line: Int, message: String) {
        #expect(throws: ConfigSyntaxError.self) { try ConfigReader.parse(text, syntax: .yaml) }
        do {
            _ = try ConfigReader.parse(text, syntax: .yaml)
        } catch {
            #expect(error.line == line)
            #expect(error.message == message)
        }
    }
}
