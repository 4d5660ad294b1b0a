import AtStatus
import NetIO

/// `atsign_exporter check ATSIGN...`: probe once, print, exit.
struct CheckCommand {
    let settings: Settings

    func run() async -> Int32 {
        var settings = settings
        let demo: DemoEnvironment?
        do {
            demo = settings.demo ? try await DemoEnvironment.start(adjusting: &settings) : nil
        } catch {
            printError("atsign_exporter: cannot start the demo simulator: \(error)")
            return 2
        }
        let context: TLSContext
        do {
            context = try TLSContext.client(caFile: settings.caFile, caPEM: demo?.caPEM)
        } catch {
            printError("atsign_exporter: --tls.ca-file: \(error)")
            await demo?.stop()
            return 2
        }
        let checker = StatusChecker(
            configuration: ExporterService.checkerConfiguration(settings), context: context,
            rootPool: RootPoolSettings(maxConnections: settings.rootMaxConnections))
        let results = await Self.probeAll(settings.atSigns, checker: checker, concurrency: settings.probeConcurrency)
        await checker.root.closeIdle()
        switch settings.checkOutput {
        case .json:
            print(results.map { StatusReport.json($0) }.joined(separator: "\n"))
        case .text:
            print(StatusReport.table([StatusReport.tableHeader] + results.map(StatusReport.tableRow)), terminator: "")
        }
        await demo?.stop()
        return results.allSatisfy { $0.status.status() == .activated } ? 0 : 1
    }

    /// Probes concurrently (at most `concurrency` at once) and returns results in input order.
    static func probeAll(_ atSigns: [AtSign], checker: StatusChecker, concurrency: Int) async -> [ProbeResult] {
        let limiter = AsyncSemaphore(permits: max(1, concurrency))
        return await withTaskGroup(of: (Int, ProbeResult).self) { group in
            for (index, atSign) in atSigns.enumerated() {
                try? await limiter.acquire(deadline: .distantFuture)
                group.addTask {
                    defer { limiter.release() }
                    return (index, await checker.check(atSign))
                }
            }
            var results = [ProbeResult?](repeating: nil, count: atSigns.count)
            for await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
    }
}
