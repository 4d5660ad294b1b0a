import CSystem
import Foundation

/// A `TaskExecutor` that runs its jobs on threads of its own (one by default), in arrival order.
///
/// Why: Swift's cooperative pool has one thread per core, and CPU-heavy work on it (TLS
/// handshakes in OpenSSL) makes every other task wait for a free thread. Tasks that must
/// answer promptly whatever the pool is doing (the HTTP server's connections) prefer an
/// executor of their own with `Task(executorPreference:)`; work that should yield the CPU to
/// them (the prober's handshakes) prefers one whose threads run at a lower priority
/// (`lowerPriorityBy`). What such a task awaits elsewhere (an actor with its own executor, a
/// task on the pool) hops as usual and comes back here. Jobs must not block: the threads serve
/// every task that prefers them, and I/O waits go through the reactor.
public final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    /// Guards `jobs` and `head`; signalled when a job arrives. `@unchecked Sendable`: both are
    /// only touched with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    /// The next job to run: taken jobs are dropped in bulk, not one `removeFirst` at a time.
    private var head = 0

    /// Starts `threads` threads named `name` (or `name-1`, `name-2`... for several), visible in
    /// `top -H` and debuggers, each with `lowerPriorityBy` added to its nice value (Linux
    /// schedules threads by their own nice value; raising it needs no privilege). The threads
    /// live as long as the process: executors are made once, for a server's lifetime.
    public init(name: String, threads: Int = 1, lowerPriorityBy niceIncrement: Int32 = 0) {
        precondition(threads >= 1, "a ThreadExecutor needs at least one thread")
        for number in 1...threads {
            startNamedThread(threads == 1 ? name : "\(name)-\(number)") { [self] in
                if niceIncrement > 0 { _ = csystem_lower_this_threads_priority(niceIncrement) }
                runLoop()
            }
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    /// One job at a time, so that several threads share a queue that a single task can fill.
    private func runLoop() {
        while true {
            condition.lock()
            while head == jobs.count { condition.wait() }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024 && head * 2 >= jobs.count {
                // A queue that never runs empty would otherwise only grow.
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
