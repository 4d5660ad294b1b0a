import Dispatch
import Foundation
import NetIO
import TestSupport
import Testing

@testable import WebServer

/// The server on its own `ThreadExecutor` answers while every thread of Swift's cooperative
/// pool is taken (during a probe round they run TLS handshakes).
@Suite(.serialized, .timeLimit(.minutes(1))) struct HTTPServerExecutorTests {
    @Test func answersWhileThePoolIsSaturated() async throws {
        let server = try startServer { $0.executor = ThreadExecutor(name: "test-http") }
        let status = try await statusWhilePoolIsHeld(port: server.ports[0])
        #expect(status == 200)
        await server.shutdown()
    }
}

/// Holds every cooperative-pool thread with a task blocked on a semaphore, asks the server for
/// `/` from a task on a thread of its own, then lets the pool go. The pool stays held until the
/// answer comes or the client's patience runs out: on the pool the server could not run at all
/// before the release, so the request would time out however long the client waited.
private func statusWhilePoolIsHeld(port: Int) async throws -> Int {
    let width = ProcessInfo.processInfo.activeProcessorCount
    let started = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    for _ in 0..<width {
        // Blocks a pool thread on purpose: this is the saturation under test. High priority, so
        // each takes the next free thread instead of queueing behind the suite's other tasks:
        // the pool is held, and every other test kept waiting, only as long as the request.
        Task.detached(priority: .high) { blockPoolThread(started: started, release: release) }
    }
    let client = ThreadExecutor(name: "test-client")
    return try await withTaskExecutorPreference(client) {
        defer { (0..<width).forEach { _ in release.signal() } }
        try #require(waitAll(started, count: width, within: Patience.deadline), "pool threads were not all taken")
        let wire = try await WireClient(port: port)
        let response = try await wire.get("/")
        await wire.close()
        return response.status
    }
}

private func blockPoolThread(started: DispatchSemaphore, release: DispatchSemaphore) {
    started.signal()
    release.wait()
}

/// Whether `count` signals arrived within `timeout` (blocks the calling thread: the test's
/// own client thread, never a pool thread).
private func waitAll(_ semaphore: DispatchSemaphore, count: Int, within timeout: Duration) -> Bool {
    let deadline = DispatchTime.now() + .seconds(Int(timeout.components.seconds))
    return (0..<count).allSatisfy { _ in semaphore.wait(timeout: deadline) == .success }
}
