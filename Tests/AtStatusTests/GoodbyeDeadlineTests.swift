import AtSimulator
import COpenSSL
import Glibc
import Synchronization
import TestSupport
import Testing

@testable import AtStatus
@testable import NetIO

/// Issue 9, finding 7: `@exit` and the TLS close had timers of their own (200 ms and 500 ms), so a
/// probe could end up to 0.7 s past its deadline. The goodbye now runs within the deadline it is
/// given: with a deadline already passed and a socket with no room, it never waits at all.
@Suite(.timeLimit(.minutes(1))) struct GoodbyeDeadlineTests {
    /// A TLS server that completes the handshake and then never reads: the client's writes pile
    /// up until its socket has no room, as with a frozen atServer.
    final class DeafServer: Sendable {
        let listener: TCPListener
        let caPEM: String
        private let held = Mutex<[TLSConnection]>([])

        init() throws {
            let authority = try TestCertificateAuthority()
            let issued = try authority.issue()
            let context = try TLSContext.server(
                certificatePEM: issued.certificatePEM, privateKeyPEM: issued.privateKeyPEM)
            listener = try TCPListener(host: "127.0.0.1", port: 0)
            caPEM = issued.caPEM
            Task { await self.accept(context: context) }
        }

        private func accept(context: TLSContext) async {
            while let tcp = try? await listener.accept() {
                let deadline = Deadline.after(.seconds(10))
                guard let tls = try? await TLSConnection.accept(over: tcp, context: context, deadline: deadline) else {
                    continue
                }
                held.withLock { $0.append(tls) }
            }
        }

        func stop() async {
            listener.close()
            for connection in held.withLock({ $0 }) { await connection.close(deadline: .now) }
        }
    }

    @Test func theGoodbyeNeverWaitsPastItsDeadline() async throws {
        let server = try DeafServer()
        let context = try TLSContext.client(caPEM: server.caPEM, trustSystemStore: false)
        let opened = await TimedConnector(context: context).open(
            ServerAddress(host: "127.0.0.1", port: server.listener.port), deadline: .after(Patience.deadline))
        guard case .success(let connected) = opened else {
            Issue.record("cannot connect to the deaf server: \(opened)")
            return
        }
        let connection = connected.connection
        // Fill the socket under TLS with raw bytes until the kernel has no room: OpenSSL's own
        // state stays clean, so the goodbye's writes are the first to find the socket full.
        let fd = connection.stream.withSSL { SSL_get_fd($0) }
        let chunk = [UInt8](repeating: 0x61, count: 64 * 1024)
        var full = false
        for _ in 0..<4096 where !full {
            let written = chunk.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            full = written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
        }
        #expect(full, "the send buffer never filled")
        let start = Deadline.now
        await connection.exit(deadline: .now)
        let elapsed = Deadline.now.seconds(since: start)
        // No wait at all is allowed. The old timers waited 0.7 s here; the margin below that is for
        // a machine running the whole suite at once, where one await can wait for a thread.
        #expect(elapsed < 0.5, "the goodbye took \(elapsed) s past a deadline that had passed")
        await server.stop()
    }
}
