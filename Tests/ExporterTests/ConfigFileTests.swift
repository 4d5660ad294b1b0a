import Testing

@testable import Exporter

@Suite struct ConfigFileTests {
    func error(_ json: String) -> String? { settingsError(["--config.file", "c.json"], files: ["c.json": json]) }

    @Test func unknownKeyIsNamedWithItsLineAndASuggestion() {
        #expect(
            error("{\n  \"probe.timout\": \"5s\"\n}") == """
                unknown key "probe.timout" in c.json line 2; did you mean "probe.timeout"?
                """)
        #expect(error(#"{"atsign": ["@alice"]}"#) == #"unknown key "atsign" in c.json line 1; did you mean "atsigns"?"#)
        #expect(error(#"{"config.file": "other.json"}"#) == #"unknown key "config.file" in c.json line 1"#)
        #expect(error(#"{"output": "json"}"#) == #"unknown key "output" in c.json line 1"#)
    }

    @Test func wrongTypesNameTheKeyAndTheExpectedType() {
        #expect(
            error(#"{"probe.interval": 30}"#)
                == #"key "probe.interval" in c.json line 1 must be a string, not a number"#)
        #expect(
            error(#"{"probe.info": "false"}"#)
                == #"key "probe.info" in c.json line 1 must be true or false, not a string"#)
        #expect(
            error(#"{"probe.concurrency": 2.5}"#)
                == #"key "probe.concurrency" in c.json line 1 must be an integer, not a fraction"#)
        #expect(
            error(#"{"atsigns": "@alice"}"#)
                == #"key "atsigns" in c.json line 1 must be an array of strings, not a string"#)
        #expect(
            error(#"{"atsigns": ["@alice", 7]}"#)
                == #"element 1 of "atsigns" in c.json line 1 must be a string, not a number"#)
        #expect(error(#"{"root.address": null}"#) == #"key "root.address" in c.json line 1 must be a string, not null"#)
    }

    @Test func badValuesNameTheKeyAndIndex() {
        #expect(
            error(#"{"atsigns": ["@alice", "@b c"]}"#)
                == #"invalid atSign "@b c" at index 1 of "atsigns" in c.json: it holds whitespace"#)
        #expect(
            error(#"{"probe.timeout": "10x"}"#) == """
                invalid duration "10x" for key "probe.timeout" in c.json: unknown unit "x" (one of y, w, d, h, m, s, ms)
                """)
        #expect(
            error(#"{"web.listen-address": [":70000"]}"#) == """
                invalid listen address ":70000" at index 0 of "web.listen-address" in c.json: port 70000 is out of range 0-65535
                """)
    }

    @Test func syntaxErrorsGiveLineAndColumn() {
        #expect(
            error("{\n \"a\": 1,\n \"b\": tru }")
                == "invalid JSON in c.json at line 3 column 7: \"tru\" is not a JSON value (strings need double quotes; numbers are decimal)"
        )
        #expect(
            error(#"{"probe.info": true,}"#)
                == #"invalid JSON in c.json at line 1 column 21: a comma before a closing bracket is not JSON"#)
        #expect(
            error("") == "invalid JSON in c.json at line 1 column 1: expected a JSON value, found the end of the text")
        #expect(
            error("[\"@alice\"]")
                == "c.json must hold a JSON object of settings such as {\"probe.interval\": \"30s\"}, not an array")
        #expect(
            error(#"{"probe.info": true, "probe.info": false}"#)
                == #"invalid JSON in c.json at line 1 column 22: duplicate key "probe.info" (first on line 1)"#)
    }

    @Test func emptyObjectKeepsTheDefaults() throws {
        #expect(try loadSettings(["--config.file", "c.json"], files: ["c.json": "{ }"]).probeInterval == .seconds(60))
    }
}
