import AtSimulator
import AtStatus
import Foundation
import Testing

@Suite struct ScenarioTests {
    @Test func namesParseInAnyCase() throws {
        #expect(try Scenario(name: "activated") == .activated)
        #expect(try Scenario(name: "notFound") == .notFound)
        #expect(try Scenario(name: "NOTFOUND") == .notFound)
        #expect(try Scenario(name: "errorReply") == .errorReply)
        #expect(try Scenario(name: "invalidUTF8") == .invalidUTF8)
        #expect(try Scenario(name: "slow") == .slow(.seconds(2)))
        #expect(try Scenario(name: "slow:500ms") == .slow(.milliseconds(500)))
        #expect(try Scenario(name: "slow:1m30s") == .slow(.seconds(90)))
    }

    @Test func everyListedNameParsesAndRoundTrips() throws {
        for name in Scenario.names {
            let scenario = try Scenario(name: name)
            #expect(try Scenario(name: scenario.description) == scenario)
        }
    }

    @Test func unknownNameListsKnownOnes() {
        #expect(throws: ScenarioError.unknownScenario("actived")) { try Scenario(name: "actived") }
        #expect(
            ScenarioError.unknownScenario("actived").description.hasPrefix(
                "unknown scenario \"actived\" (known: activated, ready"))
        #expect(throws: ScenarioError.unknownScenario("hung:2s")) { try Scenario(name: "hung:2s") }
    }

    @Test func badSlowDurationIsNamed() {
        #expect(throws: ScenarioError.badDuration(scenario: "slow:fast", value: "fast")) {
            try Scenario(name: "slow:fast")
        }
        let message = ScenarioError.badDuration(scenario: "slow:2x", value: "2x").description
        #expect(message == "scenario \"slow:2x\": \"2x\" is not a duration such as 500ms, 2s or 1m")
    }

    @Test func rootModes() throws {
        #expect(try RootMode(name: "Down") == .down)
        #expect(throws: ScenarioError.unknownRootMode("up")) { try RootMode(name: "up") }
        #expect(
            ScenarioError.unknownRootMode("up").description
                == "unknown root mode \"up\" (known: normal, down, hung, garbage, stopping, bad-greeting)")
    }

    @Test func demoFleetHasOneAtSignPerScenario() {
        let names = Fleet.demo.entries.map(\.atSign.name)
        #expect(
            names == [
                "@activated", "@ready", "@teapot", "@notfound", "@stopped", "@hung", "@garbage", "@errorreply",
                "@slow", "@wronghost", "@expired",
            ])
        #expect(Fleet.demo.entries.first { $0.atSign.name == "@slow" }?.scenario == .slow(.milliseconds(800)))
        #expect(Fleet.demo.rootMode == .normal)
    }
}
