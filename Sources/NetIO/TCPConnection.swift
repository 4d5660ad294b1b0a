import CSystem
import Glibc
import Synchronization

/// A non-blocking TCP socket driven by the reactor.
public final class TCPConnection: ByteStream {
    let fd: Int32
    public let remoteAddress: String
    /// Delivers this socket's readiness: the opening task's (`Reactor.forCurrentTask`).
    let reactor: Reactor
    private let isClosed = Atomic<Bool>(false)

    init(adopting fd: Int32, remoteAddress: String, reactor: Reactor = .forCurrentTask) throws(NetError) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.reactor = reactor
        _ = csystem_set_nodelay(fd)
        // On failure the object is fully initialised, so deinit closes the descriptor.
        try reactor.register(fd: fd)
    }

    /// The descriptor is released only here, once nothing can be using it: closing it earlier
    /// would let the kernel hand its number to a new socket while another task's read or TLS
    /// handshake still holds the old number, and that task would talk to the wrong peer.
    deinit {
        closeNow()
        Glibc.close(fd)
    }

    /// Resolves `host` and connects to its addresses happy-eyeballs style (`connect(toAny:)`).
    public static func connect(host: String, port: Int, deadline: Deadline) async throws -> TCPConnection {
        let addresses = try await Resolver.shared.resolve(host: host, port: port, deadline: deadline)
        return try await connect(toAny: addresses, deadline: deadline)
    }

    public static func connect(to address: SocketAddress, deadline: Deadline) async throws -> TCPConnection {
        let connection = try TCPConnection(socketFor: address)
        try await connection.connect(to: address, deadline: deadline)
        return connection
    }

    /// A fresh, unconnected socket of `address`'s family.
    convenience init(socketFor address: SocketAddress) throws(NetError) {
        let fd = csystem_socket_nonblocking(address.family, Int32(SOCK_STREAM.rawValue))
        guard fd >= 0 else { throw NetError.system(operation: "socket", errno: errno) }
        try self.init(adopting: fd, remoteAddress: address.description)
    }

    func connect(to address: SocketAddress, deadline: Deadline) async throws {
        let rc = address.withSockaddr { Glibc.connect(fd, $0, $1) }
        if rc != 0 && errno != EINPROGRESS {
            throw Self.connectError(errno, address: address)
        }
        if rc != 0 { try await waitUntilConnected(address: address, deadline: deadline) }
    }

    /// A write wake-up does not prove the connect finished: readiness can be stale (a fresh
    /// socket reports writable before `connect`) or spurious. Like Go's `netFD.connect`, read
    /// `SO_ERROR` and confirm with `getpeername`, and wait again while the connect is in progress.
    private func waitUntilConnected(address: SocketAddress, deadline: Deadline) async throws {
        while true {
            try await reactor.wait(fd: fd, for: .write, deadline: deadline, operation: "connect to \(address)")
            switch csystem_socket_error(fd) {
            case 0 where csystem_is_connected(fd) == 1: return
            case 0, EINPROGRESS, EALREADY, EINTR: continue
            case EISCONN: return
            case let code: throw Self.connectError(code, address: address)
            }
        }
    }

    private static func connectError(_ code: Int32, address: SocketAddress) -> NetError {
        switch code {
        case ECONNREFUSED: .connectionRefused(address: address.description)
        case ECONNRESET: .reset
        case ETIMEDOUT: .timeout(operation: "connect to \(address)")
        default: .system(operation: "connect to \(address)", errno: code)
        }
    }

    public func read(maxBytes: Int, deadline: Deadline) async throws -> [UInt8] {
        while true {
            if isClosed.load(ordering: .acquiring) { throw NetError.closed }
            var count = 0
            let bytes = [UInt8](unsafeUninitializedCapacity: maxBytes) { buffer, initialized in
                count = Glibc.read(fd, buffer.baseAddress, maxBytes)
                initialized = max(count, 0)
            }
            if count >= 0 { return bytes }
            let code = errno
            switch code {
            case EAGAIN, EWOULDBLOCK, EINTR:
                try await reactor.wait(fd: fd, for: .read, deadline: deadline, operation: "read")
            case ECONNRESET: throw NetError.reset
            default: throw NetError.system(operation: "read", errno: code)
            }
        }
    }

    public func write(_ bytes: [UInt8], deadline: Deadline) async throws {
        var offset = 0
        while offset < bytes.count {
            if isClosed.load(ordering: .acquiring) { throw NetError.closed }
            let written = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if written >= 0 {
                offset += written
                // A peer that drains as fast as we send never makes us wait: let other tasks run.
                if offset < bytes.count { await Task.yield() }
                continue
            }
            let code = errno
            switch code {
            case EAGAIN, EWOULDBLOCK, EINTR:
                try await reactor.wait(fd: fd, for: .write, deadline: deadline, operation: "write")
            case ECONNRESET, EPIPE: throw NetError.reset
            default: throw NetError.system(operation: "write", errno: code)
            }
        }
    }

    var isClosedForWriting: Bool { isClosed.load(ordering: .acquiring) }

    /// Waits until the socket is readable without consuming anything (TLS uses this).
    func waitReadable(deadline: Deadline, operation: String) async throws {
        try await reactor.wait(fd: fd, for: .read, deadline: deadline, operation: operation)
    }

    func waitWritable(deadline: Deadline, operation: String) async throws {
        try await reactor.wait(fd: fd, for: .write, deadline: deadline, operation: operation)
    }

    public func close() async { closeNow() }

    /// Holds back what is written from now on (TCP_CORK) until the connection closes, which
    /// sends it in full segments, the last carrying the FIN. For a goodbye of small writes that
    /// close follows at once: a probe's `@exit`, TLS close_notify and FIN were three packets.
    func coalesceUntilClose() { _ = csystem_set_cork(fd) }

    /// Resets the connection (RST instead of FIN), for peers that must see ECONNRESET: the
    /// simulator's `reset` scenario. The reset goes out when the descriptor is released (deinit),
    /// so the caller drops its last reference right after.
    public func abort() {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        reactor.deregister(fd: fd)
        _ = csystem_set_linger_zero(fd)
    }

    /// Ends the connection now: the peer sees the close, waiters wake with `.closed`, later calls
    /// fail. Safe from any task; the descriptor number itself is released by `deinit`.
    public func closeNow() {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        reactor.deregister(fd: fd)
        Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }
}
