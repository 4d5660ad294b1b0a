import NetIO
import Synchronization

/// The open connections of one listener group, so a shutdown or a root mode change can close
/// them all, which wakes the task serving each one.
///
/// Once TLS is up only the `TLSConnection` is closed (never its socket underneath), so no
/// OpenSSL call can ever touch a descriptor number that was closed and reused.
final class ConnectionTracker: Sendable {
    private enum Entry {
        case handshaking(TCPConnection)
        case secured(TLSConnection)
    }

    private let open = Mutex<[ObjectIdentifier: Entry]>([:])

    func add(_ connection: TCPConnection) {
        open.withLock { $0[ObjectIdentifier(connection)] = .handshaking(connection) }
    }

    /// Records that `connection` now runs TLS as `tls`.
    func secured(_ connection: TCPConnection, as tls: TLSConnection) {
        open.withLock { $0[ObjectIdentifier(connection)] = .secured(tls) }
    }

    func remove(_ connection: TCPConnection) {
        _ = open.withLock { $0.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    var count: Int { open.withLock { $0.count } }

    func closeAll() async {
        let entries = open.withLock { state in
            defer { state.removeAll() }
            return Array(state.values)
        }
        for entry in entries {
            switch entry {
            case .handshaking(let tcp): tcp.closeNow()
            case .secured(let tls): await tls.close()
            }
        }
    }
}

/// Runs `accept` in a loop, handing each connection to its own task, until the listener closes.
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
            tracker.add(connection)
            Task.detached {
                await handle(connection)
                tracker.remove(connection)
            }
        }
    }
}

/// The TLS handshake of an accepted connection, recorded in the tracker; nil when it fails.
func acceptTLS(_ tcp: TCPConnection, context: TLSContext, tracker: ConnectionTracker) async -> TLSConnection? {
    guard
        let tls = try? await TLSConnection.accept(
            over: tcp, context: context, deadline: .after(simulatorHandshakeTimeout))
    else {
        tcp.closeNow()
        return nil
    }
    tracker.secured(tcp, as: tls)
    return tls
}

/// Reads and discards until the peer closes or the connection is closed: what a hung server
/// does after its handshake, keeping its socket but never answering.
func drainSilently(_ stream: TLSConnection) async {
    while let bytes = try? await stream.read(maxBytes: 4096, deadline: .distantFuture), !bytes.isEmpty {}
}

/// How long a simulated server waits for a slow client's write to drain before giving up.
let simulatorWriteTimeout = Duration.seconds(30)
/// How long a TLS handshake may take before the simulator drops the client.
let simulatorHandshakeTimeout = Duration.seconds(10)
