import ConfigText
import Testing

/// Where libyaml's flow style is more lenient than RFC 8259, `.json` refuses, and says why.
@Suite struct JSONStrictnessTests {
    @Test func readsJSONKeepingKeyOrderTypesAndLines() throws {
        let node = try ConfigReader.parse(
            "{\"b\": [1, -2.5e3, true, null, \"true\"],\n\t\"a\":\"x\\n\\u00e9😀\\\"\\/\"}", syntax: .json)
        let expected = ConfigNode(
            .mapping([
                ConfigEntry(
                    key: "b", line: 1,
                    node: ConfigNode(
                        .list([
                            ConfigNode(.scalar("1", quoted: false), line: 1),
                            ConfigNode(.scalar("-2.5e3", quoted: false), line: 1),
                            ConfigNode(.scalar("true", quoted: false), line: 1), ConfigNode(.null, line: 1),
                            ConfigNode(.scalar("true", quoted: true), line: 1),
                        ]), line: 1)),
                ConfigEntry(key: "a", line: 2, node: ConfigNode(.scalar("x\né😀\"/", quoted: true), line: 2)),
            ]), line: 1)
        #expect(node == expected)
    }

    @Test func tabsAndCarriageReturnsAreWhitespace() throws {
        let node = try ConfigReader.parse("\t{\r\n\t\"a\":\t1\r\n}\r\n", syntax: .json)
        #expect(
            node.value
                == .mapping([ConfigEntry(key: "a", line: 2, node: ConfigNode(.scalar("1", quoted: false), line: 2))]))
    }

    @Test(arguments: [
        ("{\"a\": 1, \"a\": 2}", 1, "duplicate key \"a\" (first on line 1)"),
        ("{\"a\": nan}", 1, "\"nan\" is not a JSON value (strings need double quotes; numbers are decimal)"),
        ("{\"a\": .inf}", 1, "\".inf\" is not a JSON value (strings need double quotes; numbers are decimal)"),
        ("{\"a\": 0x1F}", 1, "\"0x1F\" is not a JSON value (strings need double quotes; numbers are decimal)"),
        ("{\"a\": 01}", 1, "\"01\" is not a JSON value (strings need double quotes; numbers are decimal)"),
        ("{\"a\": +1}", 1, "\"+1\" is not a JSON value (strings need double quotes; numbers are decimal)"),
        ("{\"a\": yes}", 1, "\"yes\" is not a JSON value (strings need double quotes; numbers are decimal)"),
        ("{\"a\": 1 # note\n}", 1, "comments are not JSON"),
        ("{\"a\": 1,\n}", 2, "a comma before a closing bracket is not JSON"),
        ("[1, 2,]", 1, "a comma before a closing bracket is not JSON"),
        ("{\"a\"}", 1, "a key needs \":\" and a value"),
        ("{\"a\": }", 1, "a value is missing after \":\""),
        ("{a: 1}", 1, "a key must be a string in double quotes"),
        ("{1: 1}", 1, "a key must be a string in double quotes"),
        ("{? \"a\": 1}", 1, "\"?\" keys are not JSON"),
        ("[\"a\": 1]", 1, "a \"key\": value pair inside [ ] is not JSON"),
        ("{'a': 1}", 1, "a key must be a string in double quotes"),
        ("[\"a\", 'b']", 1, "only double quotes delimit JSON strings"),
        ("[\"a\tb\"]", 1, "a string holds a raw control character (9); escape it"),
        ("[\"a\nb\"]", 1, "a string holds a raw control character (10); escape it"),
        ("[\"\\x41\"]", 1, "unknown escape \"\\x\" in a string"),
        ("[\"\\e\"]", 1, "unknown escape \"\\e\" in a string"),
        (
            "[\"\\ud83d\\ude00\"]", 1,
            "a \\u escape of a UTF-16 surrogate (as in \\ud83d\\ude00) is not supported; write the character itself"
        ),
        ("\"a\": 1", 1, "YAML syntax is not JSON here (indented blocks, \"---\", &, *, ! and % are YAML only)"),
        ("[&x 1]", 1, "YAML syntax is not JSON here (indented blocks, \"---\", &, *, ! and % are YAML only)"),
        ("}", 1, "\"}\" closes nothing"),
        ("[1]\n]", 2, "\"]\" closes nothing"),
        ("[1}", 1, "\"}\" closes a \"[\""),
        ("{\"a\": 1]", 1, "\"]\" closes a \"{\""),
        (String(repeating: "[", count: 70) + String(repeating: "]", count: 70), 1, "nested deeper than 64 levels"),
    ])
    func refusals(text: String, line: Int, message: String) {
        #expect(throws: ConfigSyntaxError.self) { try ConfigReader.parse(text, syntax: .json) }
        do {
            _ = try ConfigReader.parse(text, syntax: .json)
        } catch {
            #expect(error.line == line, "\(text)")
            #expect(error.message == message, "\(text)")
        }
    }
}
