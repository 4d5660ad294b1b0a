import AtStatus
import Basics
import Dispatch
import NetIO
import Synchronization
import TestSupport
import Testing

@testable import Exporter

/// Issue 9, finding 10: SIGHUP and `POST /-/reload` at once. Each reload applies whole, one after
/// the other, so the file read last is the configuration that runs.
@Suite(.timeLimit(.minutes(1))) struct ConcurrentReloadTests {
    /// Serves the atSigns file from memory: read 1 (the first reload) waits at a gate; every
    /// other read answers at once with the newest content.
    final class GatedAtSignsFile: Sendable {
        private let reads = Mutex(0)
        let gate = DispatchSemaphore(value: 0)

        var readCount: Int { reads.withLock { $0 } }

        func read(_ path: String) -> String {
            let number = reads.withLock { count in
                count += 1
                return count
            }
            switch number {
            case 1: return "@initial\n"
            case 2:
                // Blocks this thread on purpose: a file read that stalls (a slow disk) is what lets a
                // second reload overtake the first when reloads are not serialised. Bounded.
                _ = gate.wait(timeout: .now() + .seconds(10))
                return "@first\n"
            default: return "@second\n"
            }
        }
    }

    @Test func twoReloadsAtOnceApplyInOrderAndWhole() async throws {
        let file = GatedAtSignsFile()
        let loader = SettingsLoader(readFile: { path in file.read(path) })
        let arguments = ["--root.address", "127.0.0.1:1", "--atsigns.file", "/in-memory/atsigns"]
        let logLines = LogLines()
        let service = ExporterService(
            settings: try loader.load(arguments: arguments), arguments: arguments, loader: loader,
            logger: Logger(level: .info, sink: LogSink { logLines.append($0) }), context: try TLSContext.client())
        let before = WallTime.now()
        let first = Task { await service.reload() }
        try await eventually { file.readCount == 2 }
        let second = Task { await service.reload() }
        let secondDone = Mutex(false)
        let watcher = Task {
            _ = await second.value
            secondDone.withLock { $0 = true }
        }
        // Unserialised, the second reload finishes while the first is held; give it the chance.
        for _ in 0..<300 where !secondDone.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(1)) }
        file.gate.signal()
        _ = await first.value
        await watcher.value
        let latest = try AtSign("@second")
        #expect(service.settings.atSigns == [latest], "the file read last must be the one that runs")
        #expect(service.store.snapshot.targets == [latest])
        #expect(service.store.snapshot.records.keys.sorted() == [latest])
        #expect(service.store.snapshot.lastReloadSuccessful)
        #expect(service.store.snapshot.lastReloadTimestamp >= before)
        #expect(logLines.all.filter { $0.contains("configuration reloaded") }.count == 2)
    }
}
