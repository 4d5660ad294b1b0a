import CSystem
import Glibc

@testable import NetIO

/// A loopback address that refuses connections and stays so: a socket bound to it that does not
/// listen, so the kernel answers every SYN with a reset. A closed listener's port is no such
/// thing: the next port-0 listener, in this process or one beside it, may take it and answer.
final class RefusedPort: Sendable {
    let address: SocketAddress
    private let fd: Int32

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw NetError.system(operation: "socket", errno: errno) }
        let any = SocketAddress(numericHost: "127.0.0.1", port: 0)!
        guard any.withSockaddr({ bind(fd, $0, $1) }) == 0 else {
            let code = errno
            close(fd)
            throw NetError.system(operation: "bind", errno: code)
        }
        var storage = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        address = SocketAddress(numericHost: "127.0.0.1", port: Int(UInt16(bigEndian: storage.sin_port)))!
    }

    deinit { close(fd) }
}
