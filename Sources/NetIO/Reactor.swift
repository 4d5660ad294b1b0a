import CSystem
import Foundation
import Synchronization

/// Which readiness a task waits for.
public enum IODirection: Sendable {
    case read, write
}

/// An epoll thread: `shared` for servers and most sockets, `background` for the sockets that
/// background-priority work opens (probe rounds).
///
/// Sockets are non-blocking and registered edge-triggered once. A task that gets `EAGAIN` calls
/// `wait(fd:for:deadline:)`, which suspends it on a continuation the reactor thread resumes on
/// readiness, on the deadline, on cancellation or on deregistration. The Swift cooperative pool
/// therefore never blocks, and thousands of connections cost one thread.
public final class Reactor: Sendable {
    public static let shared = Reactor(threadName: "netio-reactor")

    /// Runs at the nice value Dispatch gives `.background` work on Linux, as the probes it serves
    /// do. The nice-0 reactor woke about ten times per probe and preempted a niced probe thread
    /// each time; at the probes' own nice it waits its turn: a round of 10,000 took 6 % less CPU
    /// per probe (four A/B pairs) and 10 % fewer epoll_waits. Scrapes stay on `shared`, at nice 0.
    static let background = Reactor(threadName: "netio-bgreactor", nice: backgroundNice)
    static let backgroundNice: Int32 = 10

    /// The reactor for a socket the current task opens: `background` for tasks started at
    /// background priority, `shared` for any other (and outside a task). The base priority, not
    /// the current one: a task awaited from a busier one runs escalated, yet is still a round's.
    static var forCurrentTask: Reactor { (Task.basePriority ?? .medium) <= .background ? background : shared }

    /// One `epoll_wait`: fills the parallel data and flags arrays, returns the count (0 on
    /// `EINTR`) or the failing `errno` (tests inject failures through it).
    typealias PollFunction =
        @Sendable (
            _ epollFD: Int32, _ data: UnsafeMutablePointer<UInt64>, _ flags: UnsafeMutablePointer<UInt32>,
            _ capacity: Int32, _ timeoutMilliseconds: Int32
        ) -> Result<Int32, NetError>

    private let epollFD: Int32
    private let wakeFD: Int32
    private let state: Mutex<ReactorState>
    private let nextToken = Atomic<UInt64>(1)
    private let poll: PollFunction
    private let onFatal: @Sendable (NetError) -> Void
    /// The reactor thread's kernel id once it runs (0 before): tests read its nice value.
    let threadID = Atomic<Int>(0)

    private static let wakeData: UInt64 = UInt64.max

    /// `lastGeneration` lets tests start the registration counter near the 32-bit wrap;
    /// `onFatal` is told when `epoll_wait` fails for good (the default ends the process).
    init(
        threadName: String = "netio-reactor", nice: Int32 = 0, lastGeneration: UInt32 = 0,
        poll: @escaping PollFunction = Reactor.epollWait,
        onFatal: @escaping @Sendable (NetError) -> Void = Reactor.crash
    ) {
        _ = csystem_ignore_sigpipe()
        epollFD = csystem_epoll_create()
        wakeFD = csystem_eventfd()
        precondition(epollFD >= 0 && wakeFD >= 0, "cannot create epoll or eventfd: errno \(errno)")
        _ = csystem_epoll_add(epollFD, wakeFD, Self.wakeData)
        state = Mutex(ReactorState(lastGeneration: lastGeneration))
        self.poll = poll
        self.onFatal = onFatal
        startNamedThread(threadName) { [self] in
            // A higher nice needs no privilege; should it fail, the thread only keeps nice 0.
            if nice != 0 { _ = csystem_set_this_threads_nice(nice) }
            threadID.store(csystem_this_thread_id(), ordering: .releasing)
            runLoop()
        }
    }

    static func epollWait(
        epollFD: Int32, data: UnsafeMutablePointer<UInt64>, flags: UnsafeMutablePointer<UInt32>, capacity: Int32,
        timeoutMilliseconds: Int32
    ) -> Result<Int32, NetError> {
        let count = csystem_epoll_wait(epollFD, data, flags, capacity, timeoutMilliseconds)
        return count >= 0 ? .success(count) : .failure(.system(operation: "epoll_wait", errno: errno))
    }

    /// Without its reactor no socket in the process can make progress, and `epoll_wait` only
    /// fails (other than `EINTR`, retried in C) on a broken epoll descriptor or bad arguments,
    /// which no retry cures: ending the process loudly beats hanging every probe silently.
    static func crash(_ error: NetError) {
        fatalError("netio reactor stopped, no I/O can continue: \(error)")
    }

    /// Adds a non-blocking descriptor to the epoll set.
    func register(fd: Int32) throws(NetError) {
        let generation = state.withLock { state in
            state.nextGeneration &+= 1
            state.descriptors[fd] = DescriptorState(generation: state.nextGeneration)
            return state.nextGeneration
        }
        // The epoll data holds the generation in its high 32 bits and the fd in its low 32; the
        // generation wraps at 32 bits too, so the comparison in `handleEvent` always matches.
        let data = (UInt64(generation) << 32) | UInt64(UInt32(bitPattern: fd))
        if csystem_epoll_add(epollFD, fd, data) != 0 {
            let code = errno
            _ = state.withLock { $0.descriptors.removeValue(forKey: fd) }
            throw .system(operation: "epoll_ctl(ADD)", errno: code)
        }
    }

    /// Removes the descriptor and fails its waiters with `.closed`. The caller closes the fd after.
    func deregister(fd: Int32) {
        _ = csystem_epoll_del(epollFD, fd)
        let waiters = state.withLock { state -> [Waiter] in
            guard let removed = state.descriptors.removeValue(forKey: fd) else { return [] }
            return [removed.reader, removed.writer].compactMap { $0 }.map { waiter in
                state.waiting.removeValue(forKey: waiter.token)
                return waiter
            }
        }
        for waiter in waiters { waiter.continuation.resume(throwing: NetError.closed) }
    }

    /// Reports `fd` ready for `direction` without the kernel saying so: tests play the
    /// spurious wake-ups that every waiter must survive.
    func wakeSpuriously(fd: Int32, for direction: IODirection) {
        var resumptions: [Resumption] = []
        state.withLock { $0.markReady(fd: fd, for: direction, into: &resumptions) }
        for resumption in resumptions { resumption.run() }
    }

    /// Suspends until `fd` may be ready for `direction`. Wake-ups can be spurious: callers retry
    /// the non-blocking operation and wait again on `EAGAIN`.
    func wait(fd: Int32, for direction: IODirection, deadline: Deadline, operation: String) async throws {
        if deadline.hasPassed { throw NetError.timeout(operation: operation) }
        let token = nextToken.add(1, ordering: .relaxed).newValue
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let waiter = Waiter(
                    token: token, fd: fd, direction: direction, operation: operation, continuation: continuation)
                let outcome = state.withLock { $0.enqueue(waiter, deadline: deadline) }
                switch outcome {
                case .ready: continuation.resume()
                case .failed(let error): continuation.resume(throwing: error)
                case .queued(let wakeReactor): if wakeReactor { _ = csystem_eventfd_signal(wakeFD) }
                }
            }
        } onCancel: {
            let waiter = state.withLock { $0.cancel(token: token) }
            waiter?.continuation.resume(throwing: NetError.cancelled)
        }
    }

    private func runLoop() {
        let capacity = 256
        var data = [UInt64](repeating: 0, count: capacity)
        var flags = [UInt32](repeating: 0, count: capacity)
        while true {
            let timeout = state.withLock { $0.pollTimeoutMilliseconds(now: .now) }
            let count: Int32
            switch poll(epollFD, &data, &flags, Int32(capacity), timeout) {
            case .success(let polled): count = polled
            case .failure(let error):
                // Retrying a failure that will not change would spin a core at 100 % forever.
                onFatal(error)
                return
            }
            let now = Deadline.now
            var resumptions: [Resumption] = []
            state.withLock { state in
                for index in 0..<Int(count) where data[index] != Self.wakeData {
                    state.handleEvent(data: data[index], flags: flags[index], into: &resumptions)
                }
                state.expireTimers(now: now, into: &resumptions)
                state.reactorWakeAt = nil
            }
            if (0..<Int(count)).contains(where: { data[$0] == Self.wakeData }) { _ = csystem_eventfd_drain(wakeFD) }
            for resumption in resumptions { resumption.run() }
        }
    }
}
