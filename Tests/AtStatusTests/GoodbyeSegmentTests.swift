import AtSimulator
import CSystem
import TestSupport
import Testing

@testable import AtStatus
@testable import NetIO

/// A probe's goodbye (`@exit`, TLS close_notify, FIN) used to cross the wire as three packets,
/// each one a trip through both ends' TCP stacks; it now leaves as one.
@Suite(.timeLimit(.minutes(1))) struct GoodbyeSegmentTests {
    /// What the server received after its first exchange with the client, up to the client's
    /// close, and in how many segments carrying data (pure ACKs and a bare FIN do not count).
    private func goodbye(_ sayGoodbye: @escaping @Sendable (ProtocolConnection) async -> Void) async throws
        -> (text: String, dataSegments: Int64)
    {
        let authority = try TestCertificateAuthority()
        let issued = try authority.issue()
        let serverContext = try TLSContext.server(
            certificatePEM: issued.certificatePEM, privateKeyPEM: issued.privateKeyPEM)
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let server = Task { () -> (String, Int64) in
            let tcp = try await listener.accept()
            let tls = try await TLSConnection.accept(
                over: tcp, context: serverContext, deadline: .after(Patience.deadline))
            // One exchange first: every handshake byte from the client has then arrived.
            _ = try await tls.read(maxBytes: 100, deadline: .after(Patience.deadline))
            let before = csystem_tcp_data_segments_in(tcp.fd)
            try await tls.write(Array("@".utf8), deadline: .after(Patience.deadline))
            var received: [UInt8] = []
            while true {
                let bytes = try await tls.read(maxBytes: 100, deadline: .after(Patience.deadline))
                if bytes.isEmpty { break }
                received += bytes
            }
            let after = csystem_tcp_data_segments_in(tcp.fd)
            await tls.close()
            return (String(decoding: received, as: UTF8.self), after - before)
        }
        let clientContext = try TLSContext.client(caPEM: issued.caPEM, trustSystemStore: false)
        let opened = await TimedConnector(context: clientContext).open(
            ServerAddress(host: "127.0.0.1", port: listener.port), deadline: .after(Patience.deadline))
        let connection = try opened.get().connection
        try await connection.stream.write(Array("hello\n".utf8), deadline: .after(Patience.deadline))
        let prompt = try await connection.readPrompt(deadline: .after(Patience.deadline))
        guard case .ready = prompt else { throw NetError.protocolViolation("no prompt: \(prompt)") }
        await sayGoodbye(connection)
        let (text, segments) = try await server.value
        return (text, segments)
    }

    @Test func theGoodbyeLeavesInOneSegmentWithTheFIN() async throws {
        let (text, segments) = try await goodbye { await $0.exit(deadline: .after(Patience.deadline)) }
        #expect(text == "@exit\n")
        // Two if 200 ms passed between the write and the close (the cork's own timer), which
        // only a stalled machine does: nothing suspends between them.
        #expect(segments == 1)
    }

    /// The control: the same writes without coalescing are a segment each.
    @Test func withoutCoalescingTheGoodbyeIsASegmentPerWrite() async throws {
        let (text, segments) = try await goodbye { connection in
            try? await connection.stream.write(Array("@exit\n".utf8), deadline: .after(Patience.deadline))
            await connection.stream.close()
        }
        #expect(text == "@exit\n")
        #expect(segments == 2)
    }
}
