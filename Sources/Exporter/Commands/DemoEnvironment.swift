import AtStatus

/// A simulated root and atServer fleet for `--demo`, on loopback. The `atsign_exporter`
/// executable provides one backed by `AtSimulator`; the library does not depend on the simulator,
/// so its test certificate authority does not ship in the exporter library.
public protocol DemoNetwork: Sendable {
    /// The simulated root's port on 127.0.0.1.
    var rootPort: Int { get }
    /// The atSigns it serves, one in every state.
    var atSigns: [AtSign] { get }
    /// The CA that signed its servers' certificates, trusted in addition to `--tls.ca-file`.
    var caPEM: String { get }
    func stop() async
}

/// Starts the demo network; `ExporterMain.run` calls it only when `--demo` is given.
public typealias DemoNetworkStarter = @Sendable () async throws -> any DemoNetwork

/// `--demo`: points the settings at the demo network, so the exporter shows something real with
/// no network at all.
struct DemoEnvironment: Sendable {
    let network: any DemoNetwork

    var caPEM: String { network.caPEM }

    /// Its root, its atSigns (unless some were given) and a short interval. A reload re-applies
    /// this, or it would drop the demo atSigns the command line never named.
    func apply(to settings: inout Settings) {
        settings.rootAddress = .directory(ServerAddress(host: "127.0.0.1", port: network.rootPort))
        if settings.atSigns.isEmpty { settings.atSigns = network.atSigns.sorted() }
        if settings.command == .serve {
            settings.probeInterval = .seconds(5)
            settings.probeTimeout = min(settings.probeTimeout, .seconds(4))
        }
    }

    func stop() async {
        await network.stop()
    }
}
