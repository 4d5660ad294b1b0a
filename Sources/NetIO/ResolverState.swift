/// One lookup queued or running, and the callers waiting for it.
struct PendingLookup {
    let id: UInt64
    var waiters: [UInt64: OnceContinuation<[SocketAddress]>] = [:]
    var started = false
}

/// What `join` decided for a caller.
enum JoinOutcome {
    /// A fresh cached answer.
    case answer(NameLookupResult)
    /// Waiting on a lookup; `startWorker` asks the caller to start one more resolver thread.
    case joined(startWorker: Bool)
    /// Too many lookups queued or running.
    case full
}

/// The resolver's cache, lookups and queue; only touched under its mutex.
struct ResolverState {
    private struct CachedAnswer {
        let result: NameLookupResult
        let expires: Deadline
    }

    private var cache: [String: CachedAnswer] = [:]
    private var lookups: [String: PendingLookup] = [:]
    private var queue: [(host: String, id: UInt64)] = []
    private var queueHead = 0
    private var running = 0
    /// Resolver threads allowed at once: `ResolverLimits.threads`, raised by `raiseThreadLimit`.
    private(set) var threadLimit = 0
    private var nextID: UInt64 = 0

    mutating func raiseThreadLimit(to limit: Int) { threadLimit = max(threadLimit, limit) }

    /// Lookups queued or running: what the limit bounds.
    var lookupCount: Int { lookups.count }

    mutating func join(
        host: String, token: UInt64, waiter: OnceContinuation<[SocketAddress]>, now: Deadline, limits: ResolverLimits
    ) -> JoinOutcome {
        if let cached = cache[host], now < cached.expires { return .answer(cached.result) }
        if lookups[host] != nil {
            lookups[host]!.waiters[token] = waiter
            return .joined(startWorker: false)
        }
        guard lookups.count < limits.maxLookups else { return .full }
        nextID += 1
        var lookup = PendingLookup(id: nextID)
        lookup.waiters[token] = waiter
        lookups[host] = lookup
        queue.append((host, nextID))
        guard running < threadLimit else { return .joined(startWorker: false) }
        running += 1
        return .joined(startWorker: true)
    }

    /// The next lookup somebody still waits for; lookups whose waiters all left are skipped.
    /// nil ends the calling worker.
    mutating func nextJob() -> String? {
        while queueHead < queue.count {
            let (host, id) = queue[queueHead]
            queueHead += 1
            if queueHead > 1024 && queueHead * 2 > queue.count {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            guard lookups[host]?.id == id, lookups[host]?.started == false else { continue }
            lookups[host]!.started = true
            return host
        }
        queue.removeAll(keepingCapacity: true)
        queueHead = 0
        running -= 1
        return nil
    }

    /// Caches the answer (even when every waiter has left: a late answer serves the next probe)
    /// and hands back the waiters to resume.
    mutating func finish(host: String, result: NameLookupResult, now: Deadline, limits: ResolverLimits)
        -> [OnceContinuation<[SocketAddress]>]
    {
        switch result {
        case .addresses: cache[host] = CachedAnswer(result: result, expires: now.adding(limits.positiveTTL))
        case .noSuchHost: cache[host] = CachedAnswer(result: result, expires: now.adding(limits.negativeTTL))
        case .failed: cache.removeValue(forKey: host)
        }
        if cache.count > limits.cacheEntries { cache = cache.filter { now < $0.value.expires } }
        return lookups.removeValue(forKey: host).map { Array($0.waiters.values) } ?? []
    }

    /// Removes one waiter (its deadline passed or its task was cancelled). A lookup not started
    /// yet that nobody waits for any more is dropped.
    mutating func abandon(host: String, token: UInt64) -> OnceContinuation<[SocketAddress]>? {
        guard let waiter = lookups[host]?.waiters.removeValue(forKey: token) else { return nil }
        if let lookup = lookups[host], lookup.waiters.isEmpty, !lookup.started { lookups.removeValue(forKey: host) }
        return waiter
    }
}
