import CSystem
import Glibc
import Synchronization

/// A non-blocking TCP socket driven by the reactor.
public final class TCPConnection: ByteStream {
    let fd: Int32
    public let remoteAddress: String
    private let isClosed = Atomic<Bool>(false)

    init(adopting fd: Int32, remoteAddress: String) throws(NetError) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        _ = csystem_set_nodelay(fd)
        do {
            try Reactor.shared.register(fd: fd)
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    deinit { closeNow() }

    /// Resolves `host` and connects to its addresses in turn until one answers or the deadline passes.
    public static func connect(host: String, port: Int, deadline: Deadline) async throws -> TCPConnection {
        let addresses = try await Resolver.shared.resolve(host: host, port: port, deadline: deadline)
        var lastError = NetError.connectionRefused(address: "\(host):\(port)")
        for address in addresses {
            do {
                return try await connect(to: address, deadline: deadline)
            } catch let error as NetError {
                if case .timeout = error { throw error }
                lastError = error
            }
        }
        throw lastError
    }

    public static func connect(to address: SocketAddress, deadline: Deadline) async throws -> TCPConnection {
        let fd = csystem_socket_nonblocking(address.family, Int32(SOCK_STREAM.rawValue))
        guard fd >= 0 else { throw NetError.system(operation: "socket", errno: errno) }
        let connection = try TCPConnection(adopting: fd, remoteAddress: address.description)
        let rc = address.withSockaddr { Glibc.connect(fd, $0, $1) }
        if rc != 0 && errno != EINPROGRESS {
            throw connectError(errno, address: address)
        }
        if rc != 0 {
            try await Reactor.shared.wait(fd: fd, for: .write, deadline: deadline, operation: "connect to \(address)")
            let code = csystem_socket_error(fd)
            if code != 0 { throw connectError(code, address: address) }
        }
        return connection
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
                try await Reactor.shared.wait(fd: fd, for: .read, deadline: deadline, operation: "read")
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
                continue
            }
            let code = errno
            switch code {
            case EAGAIN, EWOULDBLOCK, EINTR:
                try await Reactor.shared.wait(fd: fd, for: .write, deadline: deadline, operation: "write")
            case ECONNRESET, EPIPE: throw NetError.reset
            default: throw NetError.system(operation: "write", errno: code)
            }
        }
    }

    /// Waits until the socket is readable without consuming anything (TLS uses this).
    func waitReadable(deadline: Deadline, operation: String) async throws {
        try await Reactor.shared.wait(fd: fd, for: .read, deadline: deadline, operation: operation)
    }

    func waitWritable(deadline: Deadline, operation: String) async throws {
        try await Reactor.shared.wait(fd: fd, for: .write, deadline: deadline, operation: operation)
    }

    public func close() async { closeNow() }

    /// Deregisters from the reactor (waking any waiter with `.closed`) and closes the descriptor.
    public func closeNow() {
        guard !isClosed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        Reactor.shared.deregister(fd: fd)
        Glibc.close(fd)
    }
}
