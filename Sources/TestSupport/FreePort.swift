import NetIO

/// A loopback port nothing listens on right now: bound to port 0, read back, released. For a
/// child process that must be told its port; in-process servers bind port 0 themselves.
public func freePort() throws -> Int {
    let listener = try TCPListener(host: "127.0.0.1", port: 0)
    defer { listener.close() }
    return listener.port
}
