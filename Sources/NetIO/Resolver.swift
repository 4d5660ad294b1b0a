import Dispatch
import Glibc
import Synchronization

/// Name resolution off the Swift pool: `getaddrinfo` blocks, so it runs on a few dedicated
/// serial dispatch queues, with a small positive cache (probes resolve the same hosts each round).
public final class Resolver: Sendable {
    public static let shared = Resolver()

    private let queues: [DispatchQueue]
    private let nextQueue = Atomic<Int>(0)
    private let cache = Mutex<[String: (addresses: [SocketAddress], expires: Deadline)]>([:])
    private let cacheLifetime: Duration = .seconds(30)

    public init(threads: Int = 4) {
        queues = (0..<threads).map { DispatchQueue(label: "netio-resolver-\($0)") }
    }

    /// Addresses for `host` (numeric addresses need no lookup), IPv4 first.
    public func resolve(host: String, port: Int, deadline: Deadline) async throws -> [SocketAddress] {
        if let numeric = SocketAddress(numericHost: host, port: port) { return [numeric] }
        let key = "\(host):\(port)"
        if let hit = cache.withLock({ $0[key] }), !hit.expires.hasPassed { return hit.addresses }
        let queue = queues[nextQueue.add(1, ordering: .relaxed).newValue % queues.count]
        let once = OnceContinuation<[SocketAddress]>()
        let timer = Task {
            try? await Task.sleep(for: deadline.remaining)
            once.resume(with: .failure(NetError.timeout(operation: "resolve \(host)")))
        }
        defer { timer.cancel() }
        let addresses = try await once.wait {
            queue.async { once.resume(with: Result { try Self.lookup(host: host, port: port) }) }
        }
        cache.withLock { $0[key] = (addresses, Deadline.after(cacheLifetime)) }
        return addresses
    }

    private static func lookup(host: String, port: Int) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var result: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &result)
        guard code == 0, let first = result else {
            throw NetError.dns(host: host, message: String(cString: gai_strerror(code)))
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let pointer = entry.pointee.ai_addr,
                let address = SocketAddress(pointer: pointer, length: entry.pointee.ai_addrlen),
                !addresses.contains(address)
            {
                addresses.append(address)
            }
            cursor = entry.pointee.ai_next
        }
        guard !addresses.isEmpty else { throw NetError.dns(host: host, message: "no addresses") }
        return addresses.sorted { $0.family == AF_INET && $1.family != AF_INET }
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
