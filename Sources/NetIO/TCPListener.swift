import CSystem
import Glibc
import Synchronization

/// A listening TCP socket; `accept()` suspends on the reactor instead of blocking a thread.
public final class TCPListener: Sendable {
    private let fd: Int32
    public let port: Int
    public let address: SocketAddress
    private let isClosed = Atomic<Bool>(false)
    /// False for an adopted (socket-activated) socket: systemd shares it and listens on after us.
    private let ownsSocket: Bool

    /// `host` may be empty (all interfaces, IPv6 dual-stack when available), numeric or a name.
    public init(host: String, port: Int, backlog: Int32 = 1024) throws {
        let address = try Self.bindAddress(host: host, port: port)
        let fd = csystem_socket_nonblocking(address.family, Int32(SOCK_STREAM.rawValue))
        guard fd >= 0 else { throw NetError.system(operation: "socket", errno: errno) }
        _ = csystem_set_reuseaddr(fd)
        if address.family == AF_INET6 && (host.isEmpty || host == "::" || host == "[::]") {
            _ = csystem_set_v6only(fd, 0)
        }
        let bound = address.withSockaddr { Glibc.bind(fd, $0, $1) }
        guard bound == 0, Glibc.listen(fd, backlog) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw NetError.system(operation: "listen on \(address)", errno: code)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let actual = SocketAddress(storage: storage, length: length)
        do {
            try Reactor.shared.register(fd: fd)
        } catch {
            Glibc.close(fd)
            throw error
        }
        self.fd = fd
        self.address = actual
        self.port = actual.port
        ownsSocket = true
    }

    private static func bindAddress(host: String, port: Int) throws -> SocketAddress {
        guard (0...65535).contains(port) else {
            throw NetError.system(operation: "listen on port \(port)", errno: EINVAL)
        }
        if host.isEmpty {
            if let any6 = SocketAddress(numericHost: "::", port: port), Self.ipv6Available() { return any6 }
            return SocketAddress(numericHost: "0.0.0.0", port: port)!
        }
        if let numeric = SocketAddress(numericHost: host, port: port) { return numeric }
        if host == "localhost" { return SocketAddress(numericHost: "127.0.0.1", port: port)! }
        throw NetError.dns(host: host, message: "listen addresses must be numeric IPs or localhost")
    }

    private static func ipv6Available() -> Bool {
        let probe = csystem_socket_nonblocking(AF_INET6, Int32(SOCK_STREAM.rawValue))
        guard probe >= 0 else { return false }
        Glibc.close(probe)
        return true
    }

    /// Adopts a socket that is already bound and listening (systemd socket activation): it is
    /// made non-blocking and close-on-exec; throws if `fd` is not a listening stream socket.
    public init(adoptingListening fd: Int32) throws {
        var accepting: Int32 = 0
        var type: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &size) == 0,
            getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &size) == 0
        else { throw NetError.system(operation: "inspect descriptor \(fd)", errno: errno) }
        guard accepting == 1, type == Int32(SOCK_STREAM.rawValue) else {
            throw NetError.system(operation: "adopt descriptor \(fd) (not a listening TCP socket)", errno: EINVAL)
        }
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0, fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 else {
            throw NetError.system(operation: "make descriptor \(fd) non-blocking", errno: errno)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        try Reactor.shared.register(fd: fd)
        self.fd = fd
        self.address = SocketAddress(storage: storage, length: length)
        self.port = address.port
        ownsSocket = false
    }

    /// The descriptor is released only here, as in `TCPConnection`: an `accept` racing `close()`
    /// still holds this object, so its number cannot be handed to another socket under it.
    deinit {
        close()
        Glibc.close(fd)
    }

    /// The next connection. Throws `NetError.closed` once `close()` has been called.
    public func accept() async throws -> TCPConnection {
        while true {
            if isClosed.load(ordering: .acquiring) { throw NetError.closed }
            let client = csystem_accept4(fd)
            if client >= 0 {
                return try TCPConnection(adopting: client, remoteAddress: Self.peerName(client), reactor: .shared)
            }
            let code = errno
            // `close()` between the check above and accept4 makes accept4 fail (EINVAL).
            if isClosed.load(ordering: .acquiring) { throw NetError.closed }
            switch code {
            case EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED:
                try await Reactor.shared.wait(fd: fd, for: .read, deadline: .distantFuture, operation: "accept")
            case EMFILE, ENFILE:
                // Out of descriptors: back off instead of spinning, the peer stays in the backlog.
                try await Task.sleep(for: .milliseconds(50))
            default:
                throw NetError.system(operation: "accept", errno: code)
            }
        }
    }

    private static func peerName(_ fd: Int32) -> String {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        return rc == 0 ? SocketAddress(storage: storage, length: length).description : "unknown"
    }

    /// Stops listening now (new connections to an owned socket are refused) and wakes a pending
    /// `accept` with `.closed`; the descriptor number itself is released by `deinit`.
    public func close() {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Reactor.shared.deregister(fd: fd)
        if ownsSocket { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
    }
}
