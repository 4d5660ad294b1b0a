import Testing

@testable import Exporter

@Suite struct FlagHelpTests {
    @Test func helpListsEveryServeFlagWithItsDefault() {
        let help = HelpText.text(for: .serve)
        for definition in FlagTable.all where definition.commands.contains(.serve) {
            #expect(help.contains("  --\(definition.name)"), "missing --\(definition.name)")
        }
        #expect(!help.contains("--output"))
        #expect(help.contains("  --web.listen-address=ADDRESS\n"))
        #expect(help.contains("(repeatable) (default: :9713)"))
        #expect(
            help.contains(
                "  --probe.timeout=DURATION\n        deadline of one probe, root and atServer together (default: 10s)"))
        #expect(help.contains("  --demo\n"))
        #expect(
            help.contains(
                "--tls.ca-file=FILE\n        extra trusted CA certificates (PEM) beside the system store (default: none)"
            ))
        #expect(help.contains("(default: root.atsign.org:64)"))
        #expect(help.contains("  -h, --help"))
    }

    @Test func checkHelpListsOnlyCheckFlags() {
        let help = HelpText.text(for: .check)
        #expect(
            help.contains(
                "  --output=FORMAT\n        how check prints: text (a table) or json (one object a line) (default: text)"
            ))
        #expect(help.contains("  --root.address=HOST:PORT"))
        #expect(!help.contains("--web.listen-address"))
        #expect(!help.contains("--shard"))
    }

    @Test func everyFlagHasHelpAndAUniqueName() {
        let names = FlagTable.all.map(\.name)
        #expect(Set(names).count == names.count)
        let keys = FlagTable.all.compactMap(\.configKey)
        #expect(Set(keys).count == keys.count)
        for definition in FlagTable.all {
            #expect(!definition.help.isEmpty)
            #expect(definition.valueName.isEmpty == (definition.kind == .boolean))
        }
    }

    @Test func editDistanceCountsSingleEdits() {
        #expect(EditDistance.distance("kitten", "sitting") == 3)
        #expect(EditDistance.distance("", "abc") == 3)
        #expect(EditDistance.distance("shard", "shard") == 0)
        #expect(EditDistance.closest(to: "zzzzzzzz", among: ["shard"]) == nil)
    }
}
