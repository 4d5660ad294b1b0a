import AtSimulator
import AtStatus

/// Runs `body` against a fresh simulator and always shuts it down, so no listener outlives a test.
func withSimulator(
    _ scenarios: [String: Scenario], rootMode: RootMode = .normal, delay: Duration = .milliseconds(300),
    _ body: (Simulator) async throws -> Void
) async throws {
    var map: [AtSign: Scenario] = [:]
    for (name, scenario) in scenarios { map[atSign(name)] = scenario }
    let simulator = try await Simulator.start(scenarios: map, rootMode: rootMode, rateLimitDelay: delay)
    do {
        try await body(simulator)
    } catch {
        await simulator.shutdown()
        throw error
    }
    await simulator.shutdown()
}
