import AtStatus
import NetIO

/// `atsign_exporter check ATSIGN...`: probe once, print, exit.
struct CheckCommand {
    let settings: Settings
    let demoNetwork: DemoNetworkStarter?

    func run() async -> ExitStatus {
        let setup: ProbingSetup
        do {
            setup = try await ProbingSetup.start(settings, demoNetwork: demoNetwork)
        } catch {
            printError("atsign_exporter: \(error.message)")
            return error.status
        }
        let settings = setup.settings
        let store = SnapshotStore(rootAddress: settings.rootAddress.description)
        let root = ExporterService.rootDirectory(settings, context: setup.context)
        let prober = ExporterService.prober(settings, context: setup.context, root: root, store: store)
        let results = await Self.probeAll(settings.atSigns, prober: prober, concurrency: settings.probeConcurrency)
        await root.closeIdle()
        switch settings.checkOutput {
        case .json:
            print(results.map { StatusReport.json($0) }.joined(separator: "\n"))
        case .text:
            print(StatusReport.table([StatusReport.tableHeader] + results.map(StatusReport.tableRow)), terminator: "")
        }
        await setup.stop()
        return results.allSatisfy { $0.atSignStatus == .activated } ? .success : .failure
    }

    /// Probes concurrently (at most `concurrency` at once) and returns results in input order.
    static func probeAll(_ atSigns: [AtSign], prober: Prober, concurrency: Int) async -> [ProbeResult] {
        let limiter = AsyncSemaphore(permits: max(1, concurrency))
        return await withTaskGroup(of: (Int, ProbeResult?).self) { group in
            for (index, atSign) in atSigns.enumerated() {
                try? await limiter.acquire(deadline: .distantFuture)
                group.addTask {
                    defer { limiter.release() }
                    // A cancelled probe has no status to print.
                    return (index, try? await prober.probe(atSign))
                }
            }
            var results = [ProbeResult?](repeating: nil, count: atSigns.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
    }
}
