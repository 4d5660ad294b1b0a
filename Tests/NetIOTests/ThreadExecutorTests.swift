import CSystem
import Dispatch
import TestSupport
import Testing

@testable import NetIO

/// A `ThreadExecutor` with several threads runs jobs on all of them at once, each thread named
/// and at the priority asked for (the exporter's probes run 10 nice levels below serving).
@Suite(.timeLimit(.minutes(1))) struct ThreadExecutorTests {
    /// Two tasks that can only both finish if they run at the same time: each signals, then
    /// waits for the other. Blocking is allowed here: these are the executor's threads, not
    /// Swift's pool. With one thread the first would wait until its timeout.
    @Test func severalThreadsRunJobsAtOnce() async throws {
        let executor = ThreadExecutor(name: "test-pair", threads: 2)
        let first = DispatchSemaphore(value: 0)
        let second = DispatchSemaphore(value: 0)
        let patience = DispatchTime.now() + .seconds(Int(Patience.deadline.components.seconds))
        let a = Task(executorPreference: executor) { () -> (Bool, String) in
            first.signal()
            return (second.wait(timeout: patience) == .success, currentThreadName())
        }
        let b = Task(executorPreference: executor) { () -> (Bool, String) in
            second.signal()
            return (first.wait(timeout: patience) == .success, currentThreadName())
        }
        let (aMet, aThread) = await a.value
        let (bMet, bThread) = await b.value
        #expect(aMet && bMet)
        #expect(Set([aThread, bThread]) == ["test-pair-1", "test-pair-2"])
    }

    @Test func itsThreadsRunAtTheLoweredPriority() async {
        let base = csystem_this_threads_nice()
        let executor = ThreadExecutor(name: "test-nice", threads: 2, lowerPriorityBy: 3)
        let (nice, name) = await Task(executorPreference: executor) {
            (csystem_this_threads_nice(), currentThreadName())
        }.value
        #expect(nice == min(19, base + 3))
        #expect(name.hasPrefix("test-nice-"))
        // The thread that made it keeps its own.
        #expect(csystem_this_threads_nice() == base)
    }

    /// One thread keeps its plain name (the HTTP server's shows as `http-server`).
    @Test func aSingleThreadIsNamedAsGiven() async {
        let executor = ThreadExecutor(name: "test-single")
        #expect(await Task(executorPreference: executor) { currentThreadName() }.value == "test-single")
    }
}
