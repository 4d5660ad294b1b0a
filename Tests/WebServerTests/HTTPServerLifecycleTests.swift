import Testing

@testable import WebServer

/// The server's lifecycle as a value: every transition, without a socket or a clock.
@Suite struct HTTPServerLifecycleTests {
    @Test func startsOnceOnly() throws {
        var lifecycle = HTTPServerLifecycle.idle
        #expect(!lifecycle.accepts)
        try lifecycle.start()
        #expect(lifecycle == .running && lifecycle.accepts)
        #expect(throws: HTTPServerError.alreadyStarted) { try lifecycle.start() }
    }

    @Test func theFirstShutdownStopsAndLaterOnesWait() throws {
        var lifecycle = HTTPServerLifecycle.idle
        try lifecycle.start()
        #expect(lifecycle.beginShutdown() == .stop)
        #expect(lifecycle == .stopping && !lifecycle.accepts)
        #expect(lifecycle.beginShutdown() == .wait)
        lifecycle.finishShutdown()
        #expect(lifecycle == .stopped)
        #expect(lifecycle.beginShutdown() == .none)
        #expect(throws: HTTPServerError.alreadyStarted) { try lifecycle.start() }
    }

    @Test func aServerNeverStartedHasNothingToStop() {
        var lifecycle = HTTPServerLifecycle.idle
        #expect(lifecycle.beginShutdown() == .none)
        #expect(lifecycle == .stopped)
    }

    /// The server itself: a second shutdown while the first drains waits for it, and one on a
    /// server never started returns at once.
    @Test func concurrentShutdownsBothReturnOnceStopped() async throws {
        let server = try startServer()
        async let first: Void = server.shutdown()
        async let second: Void = server.shutdown()
        _ = await (first, second)
        #expect(server.state.withLock { $0.lifecycle } == .stopped)
        #expect(server.openConnections == 0)
        await HTTPServer(configuration: .init(listenAddresses: ["127.0.0.1:0"]), router: Router()).shutdown()
    }
}
