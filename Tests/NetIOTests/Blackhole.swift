import Glibc

@testable import NetIO

/// A loopback address that never answers a SYN: a listener that never accepts, with its accept
/// queue filled, so Linux drops every further SYN and a connect to it stays in progress.
final class Blackhole: Sendable {
    let listener: TCPListener
    let fillers: [TCPConnection]
    var address: SocketAddress { listener.address }

    init() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0, backlog: 0)
        var fillers: [TCPConnection] = []
        // Each connect that completes takes a queue slot; the first that times out proves the queue
        // is full. With backlog 0 that is the second or third; the bound only stops a broken kernel.
        while fillers.count < 16 {
            do {
                let filler = try await TCPConnection.connect(to: listener.address, deadline: .after(.milliseconds(300)))
                fillers.append(filler)
            } catch NetError.timeout {
                break
            }
        }
        precondition(fillers.count < 16, "the loopback blackhole never filled its accept queue")
        self.listener = listener
        self.fillers = fillers
    }
}
