import TestSupport
import Testing

@testable import NetIO

/// Keepalive on a client socket: off by default, then exactly the settings asked for.
@Suite struct TCPKeepAliveTests {
    @Test func keepAliveIsOffUntilEnabledThenAsAskedFor() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try await TCPConnection.connect(
            host: "127.0.0.1", port: listener.port, deadline: .after(Patience.deadline))
        #expect(client.keepAlive == nil)
        let settings = TCPKeepAlive(idle: .seconds(15), interval: .seconds(5), probes: 3)
        try client.enableKeepAlive(settings)
        #expect(client.keepAlive == settings)
        await client.close()
    }
}
