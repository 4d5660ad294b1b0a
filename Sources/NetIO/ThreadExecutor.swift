import Foundation

/// A `TaskExecutor` that runs its jobs on one dedicated thread, in arrival order.
///
/// Why: Swift's cooperative pool has one thread per core, and CPU-heavy work on it (TLS
/// handshakes in OpenSSL) makes every other task wait for a free thread. Tasks that must
/// answer promptly whatever the pool is doing (the HTTP server's connections) prefer this
/// executor with `Task(executorPreference:)`; what they await elsewhere (an actor with its own
/// executor, a task on the pool) hops as usual and comes back here. Jobs must not block: the
/// one thread serves every task that prefers it, and I/O waits go through the reactor.
public final class ThreadExecutor: TaskExecutor, @unchecked Sendable {
    /// Guards `jobs`; signalled when a job arrives. `@unchecked Sendable`: `jobs` is only
    /// touched with `condition` locked.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    /// Starts the thread, named `name` (visible in `top -H` and debuggers). The thread lives
    /// as long as the process: executors are made once, for a server's lifetime.
    public init(name: String) {
        startNamedThread(name) { [self] in runLoop() }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    private func runLoop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
