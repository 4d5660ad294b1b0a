import Foundation
import NetIO
import TestSupport
import Testing

@testable import WebServer

/// The server runs its connections on its own `ThreadExecutor`, so it answers while every
/// thread of Swift's cooperative pool is busy (during a probe round they run TLS handshakes).
///
/// The test asks which thread ran the handler instead of occupying the pool's threads to show
/// it: blocking them stopped every other test in the process while it ran.
@Suite(.timeLimit(.minutes(1))) struct HTTPServerExecutorTests {
    @Test func handlersRunOnTheServersOwnThread() async throws {
        let name = try await handlerThread(executor: ThreadExecutor(name: "test-http"))
        #expect(name == "test-http")
    }

    /// The control: without an executor, handlers run on the cooperative pool, so the check
    /// above tells the two apart.
    @Test func withoutAnExecutorHandlersRunOnThePool() async throws {
        #expect(try await handlerThread(executor: nil) != "test-http")
    }

    private func handlerThread(executor: ThreadExecutor?) async throws -> String {
        var router = Router()
        router.add("/") { _ in .text(currentThreadName()) }
        var configuration = HTTPServerConfiguration(listenAddresses: ["127.0.0.1:0"])
        configuration.executor = executor
        let server = HTTPServer(configuration: configuration, router: router)
        try server.start()
        return try await withStarted(server, stop: { await $0.shutdown() }) { server in
            let wire = try await WireClient(port: server.ports[0])
            let response = try await wire.get("/")
            await wire.close()
            return response.bodyText
        }
    }
}
