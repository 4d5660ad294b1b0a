import AtSimulator
import AtStatus
import Foundation
import Testing

@Suite struct FleetTests {
    @Test func generatedCountsMatchTheMixExactly() throws {
        let fleet = Fleet.generate(count: 10_000, mix: try Fleet.parseMix("activated=90,hung=10"))
        #expect(fleet.entries.count == 10_000)
        #expect(fleet.entries.filter { $0.scenario == .activated }.count == 9_000)
        #expect(fleet.entries.filter { $0.scenario == .hung }.count == 1_000)
        #expect(fleet.entries.first?.atSign.name == "@sim00001")
        #expect(fleet.entries.last?.atSign.name == "@sim10000")
        #expect(Set(fleet.entries.map(\.atSign)).count == 10_000)
    }

    @Test func generationIsDeterministicAndInterleaved() throws {
        let mix = try Fleet.parseMix("activated=90,hung=10")
        let first = Fleet.generate(count: 100, mix: mix)
        #expect(first == Fleet.generate(count: 100, mix: mix))
        let firstTen = first.entries.prefix(10)
        #expect(firstTen.filter { $0.scenario == .hung }.count == 1)
    }

    @Test func unevenWeightsStillSumToTheCount() throws {
        let fleet = Fleet.generate(count: 7, mix: try Fleet.parseMix("activated=1,teapot=1,ready=1"))
        let counts = [Scenario.activated, .teapot, .ready].map { scenario in
            fleet.entries.filter { $0.scenario == scenario }.count
        }
        #expect(counts.reduce(0, +) == 7)
        #expect(counts.allSatisfy { $0 == 2 || $0 == 3 })
    }

    @Test func mixAcceptsSlowWithDelayAndSpaces() throws {
        let mix = try Fleet.parseMix("slow:1s=5, teapot = 5")
        #expect(mix.map(\.0) == [.slow(.seconds(1)), .teapot])
        #expect(mix.map(\.1) == [5, 5])
    }

    @Test func badMixesNameTheProblem() {
        #expect(throws: MixError.malformed("activated")) { try Fleet.parseMix("activated") }
        #expect(throws: MixError.badWeight(part: "hung=x")) { try Fleet.parseMix("activated=1,hung=x") }
        #expect(throws: MixError.scenario(.unknownScenario("dead"))) { try Fleet.parseMix("dead=1") }
        #expect(throws: MixError.empty) { try Fleet.parseMix("hung=0") }
        #expect(
            MixError.badWeight(part: "hung=x").description
                == "--mix: \"hung=x\": the weight must be a whole number >= 0")
        #expect(MixError.scenario(.unknownScenario("dead")).description.hasPrefix("--mix: unknown scenario \"dead\""))
    }
}

@Suite struct ScenarioFileTests {
    func parse(_ text: String) throws(ScenarioFileError) -> Fleet {
        try ScenarioFile.parse(text, path: "s.json")
    }

    @Test func parsesAtSignsAndRootMode() throws {
        let fleet = try parse(#"{"rootMode":"hung","atSigns":{"Bob":"slow:250ms","@alice":"activated"}}"#)
        #expect(fleet.rootMode == .hung)
        #expect(fleet.entries.map(\.atSign.name) == ["@alice", "@bob"])
        #expect(fleet.entries.map(\.scenario) == [.activated, .slow(.milliseconds(250))])
    }

    @Test func rootModeDefaultsToNormal() throws {
        #expect(try parse(#"{"atSigns":{}}"#).rootMode == .normal)
    }

    @Test(arguments: [
        (#"{"atSigns":{"@alice":"actived"}}"#, "s.json: atSign @alice: unknown scenario \"actived\" (known: "),
        (#"{"atSigns":{"@al ice":"activated"}}"#, "s.json: "),
        (#"{"atSigns":{"@alice":3}}"#, "s.json: atSign @alice: the scenario must be a string"),
        (#"{"atSigns":{"@alice":"ready","Alice":"ready"}}"#, "s.json: atSign @alice is listed twice"),
        (#"{"rootMode":"up","atSigns":{}}"#, "s.json: unknown root mode \"up\""),
        (#"{"atsigns":{}}"#, "s.json: line 1: unknown key \"atsigns\" (known: rootMode, atSigns)"),
        (#"{}"#, "s.json: needs \"atSigns\""),
        (#"[1]"#, "s.json: must hold a JSON object"),
        (#"{"atSigns":"#, "s.json: is not valid JSON"),
    ])
    func badFilesNameTheProblem(text: String, expectedPrefix: String) {
        do {
            _ = try parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.hasPrefix(expectedPrefix), "\(error.description)")
        }
    }

    @Test func badAtSignQuotesTheInput() {
        do {
            _ = try parse(#"{"atSigns":{"@al ice":"activated"}}"#)
        } catch {
            #expect(error.description.contains("@al ice"))
        }
    }

    @Test func missingFileIsNamed() {
        do {
            _ = try ScenarioFile.load(path: "/nonexistent/s.json")
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.description.hasPrefix("/nonexistent/s.json: cannot be read"))
        }
    }
}
