import Glibc
import NetIO
import Synchronization

/// A loopback port nothing listens on right now, for a child process that must be told its
/// port (in-process servers bind port 0 themselves).
///
/// The port comes from below the kernel's ephemeral range (32768 and up here): a port that port 0
/// handed out and we released is the next one an outgoing connection or another server may take
/// before the child binds it, and hundreds of loopback connections run beside these tests. Below
/// the range only another `freePort` caller could take it: this process never hands one out
/// twice, and each process starts at its own offset.
public func freePort() throws -> Int {
    for _ in 0..<FreePorts.span {
        let port = FreePorts.next()
        if let listener = try? TCPListener(host: "127.0.0.1", port: port) {
            listener.close()
            return port
        }
    }
    let listener = try TCPListener(host: "127.0.0.1", port: 0)
    defer { listener.close() }
    return listener.port
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
}
