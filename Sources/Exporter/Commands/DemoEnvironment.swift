import AtSimulator
import AtStatus

/// `--demo`: an in-process simulated root and atServer fleet with atSigns in every state, so the
/// exporter shows something real with no network at all.
struct DemoEnvironment: Sendable {
    let simulator: Simulator

    var caPEM: String { simulator.caPEM }

    /// Starts the simulator and points `settings` at it: its root, its atSigns, a short interval.
    static func start(adjusting settings: inout Settings) async throws -> DemoEnvironment {
        let fleet = Fleet.demo
        let simulator = try await Simulator.start(fleet: fleet)
        settings.rootAddress = .directory(ServerAddress(host: "127.0.0.1", port: simulator.rootPort))
        if settings.atSigns.isEmpty { settings.atSigns = fleet.entries.map(\.atSign).sorted() }
        if settings.command == .serve {
            settings.probeInterval = .seconds(5)
            settings.probeTimeout = min(settings.probeTimeout, .seconds(4))
        }
        return DemoEnvironment(simulator: simulator)
    }

    func stop() {
        let simulator = self.simulator
        Task { await simulator.shutdown() }
    }
}
