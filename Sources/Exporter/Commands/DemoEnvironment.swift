import AtSimulator
import AtStatus

/// `--demo`: an in-process simulated root and atServer fleet with atSigns in every state, so the
/// exporter shows something real with no network at all.
struct DemoEnvironment: Sendable {
    let simulator: Simulator

    var caPEM: String { simulator.caPEM }

    /// Starts the simulator and points `settings` at it.
    static func start(adjusting settings: inout Settings) async throws -> DemoEnvironment {
        let demo = DemoEnvironment(simulator: try await Simulator.start(fleet: .demo))
        demo.apply(to: &settings)
        return demo
    }

    /// Its root, its atSigns (unless some were given) and a short interval. A reload re-applies
    /// this, or it would drop the demo atSigns the command line never named.
    func apply(to settings: inout Settings) {
        settings.rootAddress = .directory(ServerAddress(host: "127.0.0.1", port: simulator.rootPort))
        if settings.atSigns.isEmpty { settings.atSigns = Fleet.demo.entries.map(\.atSign).sorted() }
        if settings.command == .serve {
            settings.probeInterval = .seconds(5)
            settings.probeTimeout = min(settings.probeTimeout, .seconds(4))
        }
    }

    func stop() {
        let simulator = self.simulator
        Task { await simulator.shutdown() }
    }
}
