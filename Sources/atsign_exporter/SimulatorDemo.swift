import AtSimulator
import AtStatus
import Exporter

/// `--demo`'s network: the simulator's demo fleet, one atSign in every state, on loopback.
/// Wired in here so that the `Exporter` library does not depend on the simulator.
struct SimulatorDemo: DemoNetwork {
    let simulator: Simulator

    static func start() async throws -> any DemoNetwork {
        SimulatorDemo(simulator: try await Simulator.start(fleet: .demo))
    }

    var rootPort: Int { simulator.rootPort }
    var atSigns: [AtSign] { Fleet.demo.entries.map(\.atSign) }
    var caPEM: String { simulator.caPEM }

    func stop() async {
        await simulator.shutdown()
    }
}
