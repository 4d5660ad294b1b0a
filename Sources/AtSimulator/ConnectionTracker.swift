import NetIO
import Synchronization

/// The tasks serving the open connections of one listener group, so a shutdown or a root mode
/// change can end them all.
///
/// It cancels tasks instead of closing their sockets: each task then closes its own connection,
/// so no OpenSSL call can ever run on a descriptor that another task closed (and the kernel
/// may already have handed to a new connection).
final class ConnectionTracker: Sendable {
    private struct State {
        var nextID: UInt64 = 0
        var tasks: [UInt64: Task<Void, Never>] = [:]
        /// Tasks that ended before `start` could record them.
        var finishedEarly: Set<UInt64> = []
    }

    private let state = Mutex(State())

    /// Runs `work` in its own task, tracked until it returns.
    func start(_ work: @escaping @Sendable () async -> Void) {
        let id = state.withLock { current in
            current.nextID += 1
            return current.nextID
        }
        let task = Task.detached { [self] in
            await work()
            finish(id)
        }
        state.withLock { current in
            if current.finishedEarly.remove(id) == nil { current.tasks[id] = task }
        }
    }

    private func finish(_ id: UInt64) {
        state.withLock { current in
            if current.tasks.removeValue(forKey: id) == nil { current.finishedEarly.insert(id) }
        }
    }

    var count: Int { state.withLock { $0.tasks.count } }

    /// Cancels every tracked task: its pending read, write, handshake or sleep throws, and the
    /// task closes its connection.
    func cancelAll() {
        let tasks = state.withLock { current in
            defer { current.tasks.removeAll() }
            return Array(current.tasks.values)
        }
        for task in tasks { task.cancel() }
    }
}

/// Runs `accept` in a loop, handing each connection to its own tracked task, until the
/// listener closes.
func runAcceptLoop(
    _ listener: TCPListener, tracker: ConnectionTracker,
    handle: @escaping @Sendable (TCPConnection) async -> Void
) {
    Task.detached {
        while true {
            let connection: TCPConnection
            do {
                connection = try await listener.accept()
            } catch NetError.closed {
                return
            } catch {
                try? await Task.sleep(for: .milliseconds(20))
                continue
            }
            tracker.start {
                await handle(connection)
                connection.closeNow()
            }
        }
    }
}

/// The TLS handshake of an accepted connection; nil when it fails (the socket is then closed).
func acceptTLS(_ tcp: TCPConnection, context: TLSContext) async -> TLSConnection? {
    guard
        let tls = try? await TLSConnection.accept(
            over: tcp, context: context, deadline: .after(simulatorHandshakeTimeout))
    else {
        tcp.closeNow()
        return nil
    }
    return tls
}

/// Reads and discards until the peer closes or the task is cancelled: what a hung server does
/// after its handshake, keeping its socket but never answering.
func drainSilently(_ stream: TLSConnection) async {
    while let bytes = try? await stream.read(maxBytes: 4096, deadline: .distantFuture), !bytes.isEmpty {}
}

/// How long a simulated server waits for a slow client's write to drain before giving up.
let simulatorWriteTimeout = Duration.seconds(30)
/// How long a TLS handshake may take before the simulator drops the client.
let simulatorHandshakeTimeout = Duration.seconds(10)
