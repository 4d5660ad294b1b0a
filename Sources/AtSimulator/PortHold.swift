import Glibc
import NetIO

/// Keeps a port of a `down` root bound, without listening, so that connects to it are refused
/// (the kernel answers a SYN to a bound, non-listening socket with a reset) and nothing else
/// takes it meanwhile: a released port is the next an outgoing connection or a port-0 listener
/// may pick, and the root could then neither come back on it nor be refused by it.
/// Both sides set SO_REUSEADDR, so the root's listener binds beside the hold when it returns.
final class PortHold: Sendable {
    private let fd: Int32

    init(_ address: SocketAddress) throws {
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw NetError.system(operation: "socket", errno: errno) }
        var on: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard address.withSockaddr({ bind(fd, $0, $1) }) == 0 else {
            let code = errno
            close(fd)
            throw NetError.system(operation: "hold \(address)", errno: code)
        }
        self.fd = fd
    }

    deinit { close(fd) }
}
