import Foundation
import Synchronization

/// How much the resolver does at once and how long it remembers.
public struct ResolverLimits: Sendable {
    /// Lookups running at once, each blocking one resolver thread (never a Swift pool thread).
    /// Threads start only while lookups wait and end when none is left; `allowThreads(forProbes:)`
    /// raises this to the probe concurrency.
    public var threads = 32
    /// Lookups queued or running; a new host beyond this fails at once with a `dns` error.
    public var maxLookups = 1024
    /// How long an answer is reused. `getaddrinfo` gives no TTL; a moved atServer is probed at
    /// its old address for at most this long.
    public var positiveTTL: Duration = .seconds(60)
    /// How long "no such host" is reused: short, so a name that appears is seen soon.
    public var negativeTTL: Duration = .seconds(5)
    /// Past this many cached hosts, expired entries are swept on the next answer.
    public var cacheEntries = 16384

    public init() {}
}

/// Name resolution off the Swift pool, bounded, coalescing, cancellable and cached per host.
///
/// Identical lookups in flight share one `getaddrinfo`; a caller whose deadline passes (or whose
/// task is cancelled) returns at once, and a lookup nobody waits for any more is skipped before
/// it starts; an answer that arrives after its callers left still fills the cache.
public final class Resolver: Sendable {
    public static let shared = Resolver()

    private let lookup: any NameLookup
    private let limits: ResolverLimits
    private let clock: @Sendable () -> Deadline
    private let state = Mutex(ResolverState())
    private let nextToken = Atomic<UInt64>(0)

    /// `clock` lets tests move time for the caches.
    public init(
        lookup: any NameLookup = SystemNameLookup(), limits: ResolverLimits = ResolverLimits(),
        clock: @escaping @Sendable () -> Deadline = { .now }
    ) {
        self.lookup = lookup
        self.limits = limits
        self.clock = clock
        state.withLock { $0.raiseThreadLimit(to: limits.threads) }
    }

    /// Lookups queued or running now.
    var lookupsInFlight: Int { state.withLock { $0.lookupCount } }

    /// Resolver threads allowed at once now.
    var threadLimit: Int { state.withLock { $0.threadLimit } }

    /// The most threads `allowThreads(forProbes:)` grants: each waiting thread holds a stack, and
    /// 128 lookups of 100 ms each already serve far more probes a second than a round starts.
    public static let maxThreads = 128

    /// Lets up to `probes` lookups run at once (bounded by `maxThreads`; never lowers the limit).
    /// Every probe starts with a lookup, so at a round's start all `--probe.concurrency` probes
    /// want one together: with fewer threads they queue, each holding its probe slot meanwhile.
    /// A waiting thread costs a small stack; threads exist only while lookups wait.
    public func allowThreads(forProbes probes: Int) {
        state.withLock { $0.raiseThreadLimit(to: min(probes, Self.maxThreads)) }
    }

    /// Addresses for `host` with `port` (numeric addresses need no lookup).
    public func resolve(host: String, port: Int, deadline: Deadline) async throws -> [SocketAddress] {
        if let numeric = SocketAddress(numericHost: host, port: port) { return [numeric] }
        return try await addresses(of: host.lowercased(), deadline: deadline).map { $0.withPort(port) }
    }

    private func addresses(of host: String, deadline: Deadline) async throws -> [SocketAddress] {
        if deadline.hasPassed { throw NetError.timeout(operation: "resolve \(host)") }
        let token = nextToken.add(1, ordering: .relaxed).newValue
        let waiter = OnceContinuation<[SocketAddress]>()
        switch state.withLock({ $0.join(host: host, token: token, waiter: waiter, now: clock(), limits: limits) }) {
        case .answer(let result): return try Self.addresses(result, host: host)
        case .full:
            throw NetError.dns(host: host, message: "resolver busy: \(limits.maxLookups) lookups queued or running")
        case .joined(let startWorker):
            if startWorker { startThread() }
        }
        let timer = Task {
            guard (try? await Task.sleep(for: deadline.remaining)) != nil else { return }
            abandon(host: host, token: token, with: .timeout(operation: "resolve \(host)"))
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await waiter.wait {}
        } onCancel: {
            abandon(host: host, token: token, with: .cancelled)
        }
    }

    private func abandon(host: String, token: UInt64, with error: NetError) {
        state.withLock { $0.abandon(host: host, token: token) }?.resume(with: .failure(error))
    }

    /// A thread of its own, not a Dispatch worker: Dispatch adds threads for blocked work slowly
    /// (a test with 40 held lookups saw the third start after 30 s), so lookups queued behind
    /// blocked `getaddrinfo` calls however many threads the limit allowed.
    private func startThread() {
        startNamedThread("netio-resolver") { [self] in drain() }
    }

    /// One resolver thread: runs queued lookups until none is left.
    private func drain() {
        while let host = state.withLock({ $0.nextJob() }) {
            let result = lookup.lookup(host: host)
            let waiters = state.withLock { $0.finish(host: host, result: result, now: clock(), limits: limits) }
            let outcome = Result { try Self.addresses(result, host: host) }
            for waiter in waiters { waiter.resume(with: outcome) }
        }
    }

    private static func addresses(_ result: NameLookupResult, host: String) throws -> [SocketAddress] {
        switch result {
        case .addresses(let addresses): return addresses
        case .noSuchHost(let message), .failed(let message): throw NetError.dns(host: host, message: message)
        }
    }
}

/// A continuation that may be resumed from several racing sources; only the first counts.
final class OnceContinuation<Value: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Value, any Error>?, early: Result<Value, any Error>?)>(
        (nil, nil))

    func wait(start: () -> Void) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let early = state.withLock { state -> Result<Value, any Error>? in
                if let early = state.early { return early }
                state.continuation = continuation
                return nil
            }
            if let early { continuation.resume(with: early) } else { start() }
        }
    }

    func resume(with result: Result<Value, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<Value, any Error>? in
            if let continuation = state.continuation {
                state.continuation = nil
                state.early = result
                return continuation
            }
            if state.early == nil { state.early = result }
            return nil
        }
        continuation?.resume(with: result)
    }
}
