import CSystem
import Glibc
import Synchronization
import TestSupport
import Testing

@testable import NetIO

@Suite struct ReactorTests {
    /// A connected pair of non-blocking Unix sockets.
    private func socketPair() -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        let rc = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &fds)
        precondition(rc == 0, "socketpair failed: errno \(errno)")
        return (fds[0], fds[1])
    }

    /// The 2^32nd registration used to get an epoll tag that never matched its descriptor, so
    /// its readiness was dropped and every later wait timed out.
    @Test func readinessStillArrivesPastTheThirtyTwoBitGeneration() async throws {
        // A private reactor: its thread runs for the rest of the test process.
        let reactor = Reactor(lastGeneration: UInt32.max - 2)
        for _ in 0..<5 {
            let (local, peer) = socketPair()
            defer {
                reactor.deregister(fd: local)
                close(local)
                close(peer)
            }
            try reactor.register(fd: local)
            #expect(write(peer, "x", 1) == 1)
            try await reactor.wait(fd: local, for: .read, deadline: .after(Patience.deadline), operation: "read")
        }
    }

    /// epoll_wait failing for good (not EINTR) is reported once and ends the loop: it used to
    /// retry at once, forever, one core at 100 %.
    @Test func aFailingEpollWaitIsFatalOnceInsteadOfSpinning() async throws {
        let calls = Atomic<Int>(0)
        let reported = Mutex<[NetError]>([])
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            _ = Reactor(
                poll: { _, _, _, _, _ in
                    calls.add(1, ordering: .relaxed)
                    return .failure(.system(operation: "epoll_wait", errno: EBADF))
                },
                onFatal: { error in
                    reported.withLock { $0.append(error) }
                    continuation.resume()
                })
        }
        // A spinning loop would call poll again right away; 100 ms is ample for thousands of calls.
        try await Task.sleep(for: .milliseconds(100))
        #expect(calls.load(ordering: .relaxed) == 1)
        #expect(reported.withLock { $0 } == [.system(operation: "epoll_wait", errno: EBADF)])
    }

    /// Probe rounds run at `.background`: the reactor serving their sockets runs at the nice
    /// value Dispatch gives that priority, and the shared one (the scrapes') at the process's.
    @Test func theBackgroundReactorRunsAtTheNiceOfBackgroundTasks() async throws {
        let (background, shared) = (Reactor.background, Reactor.shared)
        try await eventually("both reactor threads run") {
            background.threadID.load(ordering: .acquiring) != 0 && shared.threadID.load(ordering: .acquiring) != 0
        }
        let backgroundTaskNice = await Task(priority: .background) { csystem_this_threads_nice() }.value
        // The main thread's id is the process id; its nice value is the one the process started with.
        let processNice = try #require(niceOfThread(Int(getpid())))
        #expect(backgroundTaskNice > processNice)
        #expect(niceOfThread(background.threadID.load(ordering: .acquiring)) == backgroundTaskNice)
        #expect(niceOfThread(shared.threadID.load(ordering: .acquiring)) == processNice)
    }

    /// A socket is served by the reactor of the task that opens it: a probe round's by the
    /// background one, anything else's by the shared one. Both carry data both ways.
    @Test func aSocketGoesToTheReactorOfTheTaskThatOpensIt() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let cases: [(TaskPriority, Reactor)] = [(.background, .background), (.medium, .shared)]
        let server = Task {
            for _ in cases {
                let connection = try await listener.accept()
                let bytes = try await connection.read(maxBytes: 100, deadline: .after(Patience.deadline))
                try await connection.write(bytes, deadline: .after(Patience.deadline))
                await connection.close()
            }
        }
        for (priority, expected) in cases {
            let client = try await Task(priority: priority) {
                try await TCPConnection.connect(
                    host: "127.0.0.1", port: listener.port, deadline: .after(Patience.deadline))
            }.value
            #expect(client.reactor === expected, "opened at \(priority)")
            try await client.write(Array("ping".utf8), deadline: .after(Patience.deadline))
            let echoed = try await client.read(maxBytes: 100, deadline: .after(Patience.deadline))
            #expect(String(decoding: echoed, as: UTF8.self) == "ping")
            await client.close()
        }
        try await server.value
    }
}
