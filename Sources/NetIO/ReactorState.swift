import CSystem

/// A task suspended until its descriptor is ready.
struct Waiter {
    let token: UInt64
    let fd: Int32
    let direction: IODirection
    let operation: String
    let continuation: CheckedContinuation<Void, any Error>
}

/// Readiness seen while nobody waited (edge-triggered events are not repeated) and who waits.
struct DescriptorState {
    var generation: UInt32
    var readable = false
    var writable = false
    var reader: Waiter?
    var writer: Waiter?
}

/// A continuation to resume once the state lock is released.
struct Resumption {
    let continuation: CheckedContinuation<Void, any Error>
    let error: NetError?

    func run() {
        if let error { continuation.resume(throwing: error) } else { continuation.resume() }
    }
}

enum EnqueueOutcome {
    case ready
    case failed(NetError)
    case queued(wakeReactor: Bool)
}

/// Everything the reactor shares with waiting tasks; only touched under the reactor's mutex.
struct ReactorState {
    var descriptors: [Int32: DescriptorState] = [:]
    var waiting: [UInt64: Waiter] = [:]
    var cancelledEarly: Set<UInt64> = []
    var timers = TimerHeap()
    /// Counts registrations, wrapping at 32 bits: the epoll data has room for 32 bits of it.
    var nextGeneration: UInt32
    /// When the reactor's current epoll_wait returns by itself; nil while it is awake.
    var reactorWakeAt: Deadline?

    init(lastGeneration: UInt32 = 0) {
        nextGeneration = lastGeneration
    }

    mutating func enqueue(_ waiter: Waiter, deadline: Deadline) -> EnqueueOutcome {
        if cancelledEarly.remove(waiter.token) != nil { return .failed(.cancelled) }
        guard var descriptor = descriptors[waiter.fd] else { return .failed(.closed) }
        switch waiter.direction {
        case .read:
            if descriptor.readable {
                descriptor.readable = false
                descriptors[waiter.fd] = descriptor
                return .ready
            }
            if descriptor.reader != nil { return .failed(.system(operation: "concurrent read wait", errno: 16)) }
            descriptor.reader = waiter
        case .write:
            if descriptor.writable {
                descriptor.writable = false
                descriptors[waiter.fd] = descriptor
                return .ready
            }
            if descriptor.writer != nil { return .failed(.system(operation: "concurrent write wait", errno: 16)) }
            descriptor.writer = waiter
        }
        descriptors[waiter.fd] = descriptor
        waiting[waiter.token] = waiter
        guard deadline < .distantFuture else { return .queued(wakeReactor: false) }
        timers.push(.init(deadline: deadline, token: waiter.token))
        let wake = reactorWakeAt.map { deadline < $0 } ?? false
        if wake { reactorWakeAt = deadline }
        return .queued(wakeReactor: wake)
    }

    /// Removes a waiter for cancellation; remembers the token if it has not been enqueued yet.
    mutating func cancel(token: UInt64) -> Waiter? {
        guard let waiter = waiting.removeValue(forKey: token) else {
            cancelledEarly.insert(token)
            return nil
        }
        detach(waiter)
        return waiter
    }

    private mutating func detach(_ waiter: Waiter) {
        guard var descriptor = descriptors[waiter.fd] else { return }
        switch waiter.direction {
        case .read: if descriptor.reader?.token == waiter.token { descriptor.reader = nil }
        case .write: if descriptor.writer?.token == waiter.token { descriptor.writer = nil }
        }
        descriptors[waiter.fd] = descriptor
    }

    mutating func handleEvent(data: UInt64, flags: UInt32, into resumptions: inout [Resumption]) {
        let fd = Int32(bitPattern: UInt32(truncatingIfNeeded: data))
        guard let descriptor = descriptors[fd], descriptor.generation == UInt32(truncatingIfNeeded: data >> 32)
        else { return }
        if csystem_flag_readable(flags) != 0 { markReady(fd: fd, for: .read, into: &resumptions) }
        if csystem_flag_writable(flags) != 0 { markReady(fd: fd, for: .write, into: &resumptions) }
    }

    /// Wakes the waiter for `direction`, or remembers the readiness for the next one.
    mutating func markReady(fd: Int32, for direction: IODirection, into resumptions: inout [Resumption]) {
        guard var descriptor = descriptors[fd] else { return }
        let waiter: Waiter?
        switch direction {
        case .read:
            waiter = descriptor.reader
            descriptor.reader = nil
            if waiter == nil { descriptor.readable = true }
        case .write:
            waiter = descriptor.writer
            descriptor.writer = nil
            if waiter == nil { descriptor.writable = true }
        }
        descriptors[fd] = descriptor
        if let waiter {
            waiting.removeValue(forKey: waiter.token)
            resumptions.append(Resumption(continuation: waiter.continuation, error: nil))
        }
    }

    mutating func expireTimers(now: Deadline, into resumptions: inout [Resumption]) {
        while let entry = timers.popExpired(now: now) {
            guard let waiter = waiting.removeValue(forKey: entry.token) else { continue }
            detach(waiter)
            resumptions.append(
                Resumption(continuation: waiter.continuation, error: .timeout(operation: waiter.operation)))
        }
    }

    /// How long epoll_wait may sleep: until the earliest deadline, rounded up to whole milliseconds.
    mutating func pollTimeoutMilliseconds(now: Deadline) -> Int32 {
        guard let earliest = timers.earliest else {
            reactorWakeAt = .distantFuture
            return -1
        }
        reactorWakeAt = earliest
        guard earliest > now else { return 0 }
        let millis = (earliest.nanoseconds - now.nanoseconds + 999_999) / 1_000_000
        return Int32(min(millis, 60_000))
    }
}
