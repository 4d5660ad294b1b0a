import AtStatus
import NetIO

/// The exit status of `atsign_exporter`, one rule for `serve` and `check`.
public enum ExitStatus: Int32, Sendable {
    /// Served until told to stop, or every atSign checked is activated.
    case success = 0
    /// A check found an atSign not activated, or something failed at run time (the demo network
    /// would not start, the server could not listen).
    case failure = 1
    /// Bad usage or input: flags, the config files, the CA file, the web config.
    case usage = 2
}

/// Why a command could not start probing, with the status to exit with.
struct SetupFailure: Error {
    let message: String
    let status: ExitStatus
}

/// What `serve` and `check` both set up before they probe: the demo network when `--demo` asks
/// for it (with the settings pointed at it) and the TLS client context. Probing itself goes
/// through `Prober`, so both commands cut a probe off at the same deadline.
struct ProbingSetup {
    var settings: Settings
    let demo: DemoEnvironment?
    let context: TLSContext

    static func start(_ settings: Settings, demoNetwork: DemoNetworkStarter?) async throws(SetupFailure)
        -> ProbingSetup
    {
        var settings = settings
        Resolver.shared.allowThreads(forProbes: settings.probeConcurrency)
        var demo: DemoEnvironment?
        if settings.demo {
            guard let demoNetwork else {
                throw SetupFailure(message: "--demo is not available in this build", status: .usage)
            }
            do {
                demo = DemoEnvironment(network: try await demoNetwork())
            } catch {
                throw SetupFailure(message: "cannot start the demo simulator: \(error)", status: .failure)
            }
            demo?.apply(to: &settings)
        }
        do {
            let context = try TLSContext.client(caFile: settings.caFile, caPEM: demo?.caPEM)
            return ProbingSetup(settings: settings, demo: demo, context: context)
        } catch {
            await demo?.stop()
            throw SetupFailure(message: "--tls.ca-file: \(error)", status: .usage)
        }
    }

    func stop() async {
        await demo?.stop()
    }
}
