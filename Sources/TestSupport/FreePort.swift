import Glibc
import NetIO
import Synchronization

/// A loopback port nothing is bound to right now, for a child process that must be told its
/// port (in-process servers bind port 0 themselves).
///
/// The port comes from below the kernel's ephemeral range (32768 and up here): a port that port 0
/// handed out and we released is the next one an outgoing connection or another server may take
/// before the child binds it, and hundreds of loopback connections run beside these tests. Below
/// the range only another `freePort` caller, or the simulator's held `stopped` ports, could be
/// there: this process never hands one out twice, each process starts at its own offset, and the
/// check is a bind without SO_REUSEADDR, which a held port refuses.
public func freePort() throws -> Int {
    for _ in 0..<FreePorts.span {
        let port = FreePorts.next()
        if FreePorts.isFree(port) { return port }
    }
    throw NetError.system(operation: "finding a free port in 20000-31999", errno: EADDRINUSE)
}

private enum FreePorts {
    static let base = 20_000
    static let span = 12_000
    static let cursor = Mutex(Int(getpid()) &* 7919 % span)

    static func next() -> Int {
        cursor.withLock { cursor in
            cursor = (cursor + 1) % span
            return base + cursor
        }
    }

    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard let address = SocketAddress(numericHost: "127.0.0.1", port: port) else { return false }
        return address.withSockaddr { bind(fd, $0, $1) } == 0
    }
}
