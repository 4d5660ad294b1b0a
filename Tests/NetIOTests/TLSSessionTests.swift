import TestSupport
import Testing

@testable import NetIO

/// Session resumption: what the root pool relies on to make a replacement session cheap.
@Suite(.timeLimit(.minutes(1))) struct TLSSessionTests {
    /// A TLS server that answers one byte after the handshake (so the client reads, which is
    /// when a TLS 1.3 ticket arrives), then closes.
    private func startServer(_ certificates: OpenSSLCertificates) throws -> TCPListener {
        let context = try TLSContext.server(
            certificatePEM: certificates.leafPEM, privateKeyPEM: certificates.leafKeyPEM)
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        Task {
            while let tcp = try? await listener.accept() {
                Task {
                    guard
                        let tls = try? await TLSConnection.accept(
                            over: tcp, context: context, deadline: .after(Patience.deadline))
                    else { return }
                    try? await tls.write(Array("@".utf8), deadline: .after(Patience.deadline))
                    _ = try? await tls.read(maxBytes: 16, deadline: .after(Patience.deadline))
                    await tls.close()
                }
            }
        }
        return listener
    }

    private func connect(_ port: Int, _ context: TLSContext, session: TLSSession?) async throws -> TLSConnection {
        let tcp = try await TCPConnection.connect(host: "127.0.0.1", port: port, deadline: .after(Patience.deadline))
        let tls = try await TLSConnection.connect(
            over: tcp, context: context, serverName: "127.0.0.1", session: session, deadline: .after(Patience.deadline))
        #expect(try await tls.read(maxBytes: 16, deadline: .after(Patience.deadline)) == Array("@".utf8))
        return tls
    }

    @Test func theSecondHandshakeResumesTheFirstSession() async throws {
        let certificates = try await OpenSSLCertificates.make()
        let listener = try startServer(certificates)
        defer { listener.close() }
        let context = try TLSContext.client(caPEM: certificates.caPEM, trustSystemStore: false)
        let first = try await connect(listener.port, context, session: nil)
        #expect(!first.sessionReused)
        let session = try #require(first.resumableSession())
        await first.close()
        let second = try await connect(listener.port, context, session: session)
        #expect(second.sessionReused)
        #expect(second.peerCertificateNotAfter != nil)
        await second.close()
    }

    @Test func withoutASessionEveryHandshakeIsFull() async throws {
        let certificates = try await OpenSSLCertificates.make()
        let listener = try startServer(certificates)
        defer { listener.close() }
        let context = try TLSContext.client(caPEM: certificates.caPEM, trustSystemStore: false)
        for _ in 0..<2 {
            let connection = try await connect(listener.port, context, session: nil)
            #expect(!connection.sessionReused)
            await connection.close()
        }
    }
}
