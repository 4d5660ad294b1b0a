import Testing

@testable import Exporter

@Suite struct ConfigAtSignsFileTests {
    @Test func skipsCommentsAndBlankLinesAndCountsLines() {
        let values = AtSignsFile.values(of: "# header\n\n@alice # first\r\n  bob\t\n#@carol\n", file: "f")
        #expect(values.map(\.text) == ["@alice", "bob"])
        #expect(values.map(\.origin) == [.fileLine(file: "f", line: 3), .fileLine(file: "f", line: 4)])
    }

    @Test func badAtSignNamesTheFileAndLine() {
        let list = "@alice\n# comment\n\n@b\u{7}ob\n"
        #expect(
            settingsError(["--atsigns.file", "list.txt"], files: ["list.txt": list]) == """
                invalid atSign "@b\\u{7}ob" at list.txt line 4: it holds the control character U+7
                """)
        #expect(
            settingsError(["--atsigns.file", "list.txt"], files: ["list.txt": "\n\n@x:y\n"]) == """
                invalid atSign "@x:y" at list.txt line 3: it holds a forbidden ':'
                """)
    }

    @Test func emptyFileGivesNoAtSigns() throws {
        #expect(try loadSettings(["--atsigns.file", "e"], files: ["e": ""]).atSigns.isEmpty)
    }
}
