import COpenSSL
import TestSupport
import Testing

@testable import NetIO

@Suite struct TLSTests {
    /// Starts a TLS echo server with `certificates` and returns its port.
    private func startServer(_ certificates: OpenSSLCertificates) throws -> (TCPListener, Task<Void, Never>) {
        let context = try TLSContext.server(
            certificatePEM: certificates.leafPEM, privateKeyPEM: certificates.leafKeyPEM)
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let task = Task {
            while let tcp = try? await listener.accept() {
                Task {
                    guard
                        let tls = try? await TLSConnection.accept(
                            over: tcp, context: context, deadline: .after(Patience.deadline))
                    else { return }
                    while let bytes = try? await tls.read(maxBytes: 1024, deadline: .after(Patience.deadline)),
                        !bytes.isEmpty
                    {
                        try? await tls.write(bytes, deadline: .after(Patience.deadline))
                    }
                    await tls.close()
                }
            }
        }
        return (listener, task)
    }

    private func connect(port: Int, name: String, context: TLSContext) async throws -> TLSConnection {
        let tcp = try await TCPConnection.connect(host: "127.0.0.1", port: port, deadline: .after(Patience.deadline))
        return try await TLSConnection.connect(
            over: tcp, context: context, serverName: name, deadline: .after(Patience.deadline))
    }

    /// A fresh echo server and a client connected to it, checking the certificate for `name`;
    /// both are closed after `body`.
    private func withEchoClient(
        name: String = "127.0.0.1", _ body: (TLSConnection) async throws -> Void
    ) async throws {
        let certificates = try await OpenSSLCertificates.make()
        let (listener, _) = try startServer(certificates)
        defer { listener.close() }
        let client = try await connect(
            port: listener.port, name: name, context: try TLSContext.client(caPEM: certificates.caPEM))
        try await body(client)
        await client.close()
    }

    @Test func handshakeEchoAndCertificateFacts() async throws {
        try await withEchoClient { client in
            try await client.write(Array("hello".utf8), deadline: .after(Patience.deadline))
            let echoed = try await client.read(maxBytes: 100, deadline: .after(Patience.deadline))
            #expect(String(decoding: echoed, as: UTF8.self) == "hello")
            #expect(client.protocolVersion == "TLSv1.3")
            let notAfter = try #require(client.peerCertificateNotAfter)
            let now = Double(Deadline.now.nanoseconds) / 1e9
            #expect(notAfter > 0 && notAfter != now)
        }
    }

    /// Reads asked for more than a record get at most one record's plaintext each, in arrays
    /// of their own size (the read buffer is not handed out), and every byte arrives in order.
    @Test func readsComeInArraysOfTheirOwnSize() async throws {
        try await withEchoClient { client in
            let sent = (0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            try await client.write(sent, deadline: .after(Patience.deadline))
            var received: [UInt8] = []
            while received.count < sent.count {
                let bytes = try await client.read(maxBytes: 65536, deadline: .after(Patience.deadline))
                try #require(!bytes.isEmpty)
                #expect(bytes.count <= TLSConnection.recordPlaintextLimit)
                #expect(bytes.capacity < bytes.count + 1024)
                received += bytes
            }
            #expect(received == sent)
        }
    }

    @Test func dnsNameIsVerified() async throws {
        try await withEchoClient(name: "localhost") { _ in }
    }

    @Test func untrustedCertificateIsRefusedAndSaysWhy() async throws {
        let certificates = try await OpenSSLCertificates.make()
        let (listener, _) = try startServer(certificates)
        defer { listener.close() }
        let context = try TLSContext.client(trustSystemStore: false)
        await #expect {
            _ = try await connect(port: listener.port, name: "127.0.0.1", context: context)
        } throws: { error in
            guard case .certificate(let message) = error as? NetError else { return false }
            return message.contains("local issuer")
        }
    }

    @Test func wrongHostnameIsRefusedAndSaysWhy() async throws {
        let certificates = try await OpenSSLCertificates.make(subjectAltName: "DNS:wrong.example")
        let (listener, _) = try startServer(certificates)
        defer { listener.close() }
        let context = try TLSContext.client(caPEM: certificates.caPEM)
        await #expect {
            _ = try await connect(port: listener.port, name: "localhost", context: context)
        } throws: { error in
            guard case .certificate(let message) = error as? NetError else { return false }
            return message.lowercased().contains("hostname mismatch")
        }
    }

    @Test func handshakeAgainstASilentServerTimesOut() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let tcp = try await TCPConnection.connect(
            host: "127.0.0.1", port: listener.port, deadline: .after(Patience.deadline))
        await #expect(throws: NetError.timeout(operation: "TLS handshake")) {
            _ = try await TLSConnection.connect(
                over: tcp, context: try TLSContext.client(), serverName: "localhost",
                deadline: .after(.milliseconds(200)))
        }
    }

    /// The root pool keeps up to 256 idle connections; each would hold ~34 KB of record buffers
    /// without SSL_MODE_RELEASE_BUFFERS (8.5 MB live after a round of 10,000, heaptrack).
    /// Every context's connections give idle record buffers back and read ahead (one read()
    /// per arrival, not a header then a body per record).
    @Test func connectionsFromEveryContextReleaseIdleBuffersAndReadAhead() async throws {
        let certificates = try await OpenSSLCertificates.make()
        let (listener, _) = try startServer(certificates)
        defer { listener.close() }
        let client = try TLSContext.client(caPEM: certificates.caPEM, trustSystemStore: false)
        let serverContext = try TLSContext.server(
            certificatePEM: certificates.leafPEM, privateKeyPEM: certificates.leafKeyPEM)
        #expect(client.releasesIdleBuffers)
        #expect(serverContext.releasesIdleBuffers)
        let tls = try await connect(port: listener.port, name: "127.0.0.1", context: client)
        try await tls.write(Array("ping".utf8), deadline: .after(Patience.deadline))
        let echoed = try await tls.read(maxBytes: 16, deadline: .after(Patience.deadline))
        #expect(echoed == Array("ping".utf8))
        #expect(tls.withSSL { copenssl_releases_idle_buffers($0) } == 1)
        #expect(tls.withSSL { copenssl_reads_ahead($0) } == 1)
        let server = try TLSConnection(
            tcp: try await TCPConnection.connect(
                host: "127.0.0.1", port: listener.port, deadline: .after(Patience.deadline)),
            context: serverContext)
        #expect(server.withSSL { copenssl_reads_ahead($0) } == 1)
        await tls.close()
    }

    @Test func badCAFileIsNamed() throws {
        #expect {
            _ = try TLSContext.client(caFile: "/nonexistent/ca.pem")
        } throws: { error in
            guard case .certificate(let message) = error as? NetError else { return false }
            return message.contains("/nonexistent/ca.pem")
        }
    }
}
