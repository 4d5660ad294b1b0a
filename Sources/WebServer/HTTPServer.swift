import NetIO
import Synchronization

/// An HTTP/1.1 server: a Task accepts on each listener and a Task serves each connection, all
/// waiting on NetIO's reactor, so idle connections cost no thread.
///
/// Lifecycle: `start()` binds every address (or throws, binding none), `shutdown()` stops
/// accepting, lets in-flight requests finish within the grace period, then closes the rest.
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    let router: Router
    let state = Mutex(State())

    struct Connection {
        var task: Task<Void, Never>?
        /// A request is being answered; shutdown waits for it.
        var busy = false
        /// Shutdown has cancelled this connection; it must take no new request.
        var closing = false
    }

    struct State {
        var lifecycle = HTTPServerLifecycle.idle
        var listeners: [TCPListener] = []
        var acceptTasks: [Task<Void, Never>] = []
        var connections: [UInt64: Connection] = [:]
        var nextID: UInt64 = 0
        /// Shutdowns waiting for the last connection to end, by token (see `connectionsDrained`).
        var drainWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        /// Tokens whose wait was cancelled before its continuation was stored.
        var cancelledWaiters: Set<UInt64> = []
        var nextWaiter: UInt64 = 0
    }

    public init(configuration: HTTPServerConfiguration, router: Router) {
        self.configuration = configuration
        self.router = router
    }

    /// Binds every listen address and starts accepting. Throws if any address cannot be bound.
    public func start() throws(HTTPServerError) {
        if !configuration.listenDescriptors.isEmpty {
            return try start(listeners: adoptDescriptors())
        }
        let addresses = try configuration.listenAddresses.map { text throws(HTTPServerError) in
            try ListenAddress(parsing: text)
        }
        var listeners: [TCPListener] = []
        for address in addresses {
            do {
                listeners.append(try TCPListener(host: address.host, port: address.port))
            } catch {
                listeners.forEach { $0.close() }
                throw .listen(address: address.description, message: "\(error)")
            }
        }
        try start(listeners: listeners)
    }

    private func start(listeners: [TCPListener]) throws(HTTPServerError) {
        try state.withLock { state throws(HTTPServerError) in
            guard state.lifecycle == .idle else {
                listeners.forEach { $0.close() }
                throw .alreadyStarted
            }
            try state.lifecycle.start()
            state.listeners = listeners
            state.acceptTasks = listeners.map { listener in
                Task(executorPreference: configuration.executor) { await self.acceptLoop(listener) }
            }
        }
    }

    /// The bound ports, in `listenAddresses` order; useful with port 0.
    public var ports: [Int] { state.withLock { $0.listeners.map(\.port) } }

    public var openConnections: Int { state.withLock { $0.connections.count } }

    /// Stops accepting, closes idle connections, waits up to the grace period for in-flight
    /// requests (answered with `Connection: close`), then closes whatever is left.
    public func shutdown() async {
        let (work, acceptTasks, idle) = state.withLock { state in
            let work = state.lifecycle.beginShutdown()
            guard work == .stop else { return (work, [Task<Void, Never>](), [Task<Void, Never>]()) }
            state.listeners.forEach { $0.close() }
            let idle = state.connections.keys.filter { !state.connections[$0]!.busy }
            for id in idle { state.connections[id]!.closing = true }
            return (work, state.acceptTasks, idle.compactMap { state.connections[$0]!.task })
        }
        switch work {
        case .none: return
        case .wait: return await connectionsDrained()
        case .stop: break
        }
        idle.forEach { $0.cancel() }
        for task in acceptTasks { await task.value }
        // In-flight requests get the grace period; the wait ends when the last connection does.
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.connectionsDrained() }
            group.addTask { try? await Task.sleep(for: self.configuration.shutdownGracePeriod) }
            await group.next()
            group.cancelAll()
        }
        let remaining = state.withLock { state in
            state.connections.values.compactMap { $0.task }
        }
        remaining.forEach { $0.cancel() }
        for task in remaining { await task.value }
        state.withLock { $0.lifecycle.finishShutdown() }
    }

    /// Returns once no connection is open (at once if none is), or when the task is cancelled.
    private func connectionsDrained() async {
        let token = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state in
                    if state.connections.isEmpty || state.cancelledWaiters.remove(token) != nil { return true }
                    state.drainWaiters[token] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if let waiter = state.drainWaiters.removeValue(forKey: token) { return waiter }
                state.cancelledWaiters.insert(token)
                return nil
            }
            waiter?.resume()
        }
    }

    /// Forgets a connection that ended; the last one to end wakes the shutdowns waiting.
    private func connectionEnded(_ id: UInt64) {
        let waiters = state.withLock { state in
            state.connections.removeValue(forKey: id)
            guard state.connections.isEmpty else { return [CheckedContinuation<Void, Never>]() }
            defer { state.drainWaiters.removeAll() }
            return Array(state.drainWaiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    private func acceptLoop(_ listener: TCPListener) async {
        while true {
            let tcp: TCPConnection
            do {
                tcp = try await listener.accept()
            } catch {
                if !state.withLock({ $0.lifecycle.accepts }) || Task.isCancelled { return }
                // A transient failure (a reset in the backlog): retry without spinning.
                try? await Task.sleep(for: .milliseconds(10))
                continue
            }
            guard let id = reserveConnection() else {
                Task(executorPreference: configuration.executor) { await self.refuse(tcp) }
                continue
            }
            let task = Task(executorPreference: configuration.executor) {
                await self.serve(tcp, id: id)
                self.connectionEnded(id)
            }
            let closing = state.withLock { state in
                if state.connections[id] != nil { state.connections[id]!.task = task }
                return state.connections[id]?.closing == true
            }
            // Shutdown marked it closing before it had a task to cancel.
            if closing { task.cancel() }
        }
    }

    /// A connection slot, or nil when `maxConnections` are open or the server is stopping.
    private func reserveConnection() -> UInt64? {
        state.withLock { state in
            guard state.lifecycle.accepts, state.connections.count < configuration.maxConnections else { return nil }
            state.nextID += 1
            state.connections[state.nextID] = Connection()
            return state.nextID
        }
    }

    /// Answers 503 to a connection over the limit. Over TLS the connection is only closed: a
    /// handshake would spend the CPU the limit protects.
    private func refuse(_ tcp: TCPConnection) async {
        if currentSecurity().tls == nil {
            let response = HTTPResponse.text(
                "503 Service Unavailable: more than \(configuration.maxConnections) open connections\n", status: 503)
            try? await tcp.write(response.serialized(keepAlive: false), deadline: .after(.seconds(1)))
            configuration.accessLog?(
                AccessLogEntry(
                    remoteAddress: tcp.remoteAddress, method: "", target: "", status: 503,
                    bodyBytes: response.bodyCount, durationSeconds: 0, userAgent: ""))
            await Self.lingeringClose(tcp)
        } else {
            await tcp.close()
        }
    }

    /// Marks a connection busy before it answers; false when shutdown already closed it.
    func beginRequest(_ id: UInt64) -> Bool {
        state.withLock { state in
            guard state.connections[id]?.closing == false else { return false }
            state.connections[id]!.busy = true
            return true
        }
    }

    /// Marks a connection idle again; returns whether it may take another request.
    func endRequest(_ id: UInt64) -> Bool {
        state.withLock { state in
            state.connections[id]?.busy = false
            return state.lifecycle.accepts
        }
    }

    /// Closes after reading what the client still sends, briefly: closing with unread bytes
    /// makes the kernel send a reset that can destroy the error answer before the client reads it.
    static func lingeringClose(_ stream: ByteStream) async {
        let deadline = Deadline.after(.milliseconds(250))
        var drained = 0
        while drained < 256 * 1024, let bytes = try? await stream.read(maxBytes: 16384, deadline: deadline),
            !bytes.isEmpty
        {
            drained += bytes.count
        }
        await stream.close()
    }
}

extension HTTPServer {
    /// `configuration.listenDescriptors` as listeners; closes what it adopted if one fails.
    fileprivate func adoptDescriptors() throws(HTTPServerError) -> [TCPListener] {
        var listeners: [TCPListener] = []
        for descriptor in configuration.listenDescriptors {
            do {
                listeners.append(try TCPListener(adoptingListening: descriptor))
            } catch {
                listeners.forEach { $0.close() }
                throw .listen(address: "descriptor \(descriptor)", message: "\(error)")
            }
        }
        return listeners
    }
}
