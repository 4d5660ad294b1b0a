import COpenSSL
import Glibc
import Synchronization

/// TLS over a non-blocking `TCPConnection`. OpenSSL runs in non-blocking mode: `WANT_READ` and
/// `WANT_WRITE` become reactor waits, so a handshake or read never holds a pool thread.
///
/// Every OpenSSL call on the `SSL` object happens under `guarded`, which also holds the closed
/// flag: a `close()` racing a read can then never free state the read is using.
public final class TLSConnection: ByteStream {
    private let tcp: TCPConnection
    private let guarded: Mutex<SSLHandle>
    public let context: TLSContext
    /// The peer certificate's `notAfter` in Unix seconds, when the peer presented one.
    public private(set) nonisolated(unsafe) var peerCertificateNotAfter: Double?
    /// The negotiated protocol, e.g. `TLSv1.3`.
    public private(set) nonisolated(unsafe) var protocolVersion: String = ""
    /// True when the handshake resumed the session offered to `connect` (abbreviated handshake).
    public private(set) nonisolated(unsafe) var sessionReused = false
    public var remoteAddress: String { tcp.remoteAddress }

    /// Not handshaken yet: `connect` and `accept` make them (tests look at their settings).
    init(tcp: TCPConnection, context: TLSContext) throws(NetError) {
        guard let ssl = SSL_new(context.context) else { throw .tlsHandshake("SSL_new: \(openSSLErrorText())") }
        guard SSL_set_fd(ssl, tcp.fd) == 1 else {
            SSL_free(ssl)
            throw .tlsHandshake("SSL_set_fd: \(openSSLErrorText())")
        }
        self.tcp = tcp
        self.context = context
        guarded = Mutex(SSLHandle(ssl: ssl))
    }

    deinit {
        guarded.withLock { SSL_free($0.ssl) }
        tcp.closeNow()
    }

    /// Handshakes as a client, verifying the certificate against `serverName` (a DNS name or an IP).
    /// Offers `session` (from `resumableSession()` of an earlier connection to the same server)
    /// for resumption; a server that declines it gets a full handshake, verified as usual.
    /// `presented` learns the server certificate's `notAfter` even when the handshake refuses
    /// the certificate: an expiry alert must not resolve at the moment of expiry.
    public static func connect(
        over tcp: TCPConnection, context: TLSContext, serverName: String, session: TLSSession? = nil,
        presented: PresentedCertificate? = nil, deadline: Deadline
    ) async throws -> TLSConnection {
        let connection = try TLSConnection(tcp: tcp, context: context)
        try connection.guarded.withLock { handle throws(NetError) in
            try handle.configureClient(serverName: serverName)
            if let session { _ = SSL_set_session(handle.ssl, session.pointer) }
        }
        do {
            try await connection.handshake(deadline: deadline) { SSL_connect($0) }
        } catch {
            presented?.record(connection.withSSL { copenssl_presented_leaf_not_after($0) })
            throw error
        }
        presented?.record(connection.withSSL { copenssl_presented_leaf_not_after($0) })
        return connection
    }

    /// Handshakes as a server.
    public static func accept(over tcp: TCPConnection, context: TLSContext, deadline: Deadline) async throws
        -> TLSConnection
    {
        let connection = try TLSConnection(tcp: tcp, context: context)
        try await connection.handshake(deadline: deadline) { SSL_accept($0) }
        return connection
    }

    private func handshake(deadline: Deadline, step: (OpaquePointer) -> Int32) async throws {
        while true {
            let outcome = guarded.withLock { handle in handle.perform(step) }
            switch outcome {
            case .done:
                recordPeer()
                return
            case .wantRead: try await tcp.waitReadable(deadline: deadline, operation: "TLS handshake")
            case .wantWrite: try await tcp.waitWritable(deadline: deadline, operation: "TLS handshake")
            case .closedByPeer: throw NetError.tlsHandshake("peer closed the connection during the handshake")
            case .failed(let error): throw guarded.withLock { $0.classifyHandshakeFailure(error) }
            }
        }
    }

    private func recordPeer() {
        guarded.withLock { handle in
            protocolVersion = String(cString: SSL_get_version(handle.ssl))
            sessionReused = SSL_session_reused(handle.ssl) == 1
            if let certificate = SSL_get1_peer_certificate(handle.ssl) {
                let seconds = copenssl_asn1_time_to_unix(X509_get0_notAfter(certificate))
                peerCertificateNotAfter = seconds >= 0 ? Double(seconds) : nil
                X509_free(certificate)
            }
        }
    }

    /// Runs `body` with the `SSL` pointer under the lock that guards every OpenSSL call.
    func withSSL<T>(_ body: (OpaquePointer) -> T) -> T {
        guarded.withLock { handle in body(handle.ssl) }
    }

    /// The most plaintext one TLS record holds, and so the most one `SSL_read` returns.
    public static let recordPlaintextLimit = 16 * 1024

    /// Up to `maxBytes` (at most one record's worth) as soon as any arrive. No buffer is held
    /// while waiting for the socket: a round's 512 probes each waiting with a zero-filled 64 KiB
    /// buffer were 37 MB of its heap peak (heaptrack); the buffer now exists only during
    /// `SSL_read`, uninitialized, and what arrived is returned in an array of its own size.
    public func read(maxBytes: Int, deadline: Deadline) async throws -> [UInt8] {
        let size = min(maxBytes, Self.recordPlaintextLimit)
        while true {
            let (outcome, bytes) = guarded.withLock { handle -> (SSLOutcome, [UInt8]) in
                var outcome = SSLOutcome.wantRead
                var count = 0
                let buffer = [UInt8](unsafeUninitializedCapacity: size) { raw, initialized in
                    outcome = handle.perform { SSL_read_ex($0, raw.baseAddress, size, &count) }
                    if case .done = outcome { initialized = count } else { initialized = 0 }
                }
                // A copy of its own size: the 16 KiB buffer is not kept by a short reply.
                return (outcome, buffer.isEmpty ? [] : buffer.withUnsafeBufferPointer { Array($0) })
            }
            switch outcome {
            case .done: return bytes
            case .closedByPeer: return []
            case .wantRead: try await tcp.waitReadable(deadline: deadline, operation: "read")
            case .wantWrite: try await tcp.waitWritable(deadline: deadline, operation: "read")
            case .failed(let error): throw error
            }
        }
    }

    public func write(_ bytes: [UInt8], deadline: Deadline) async throws {
        var offset = 0
        while offset < bytes.count {
            let (outcome, written) = guarded.withLock { handle in
                bytes.withUnsafeBytes { raw in
                    var written = 0
                    let outcome = handle.perform {
                        SSL_write_ex($0, raw.baseAddress! + offset, bytes.count - offset, &written)
                    }
                    return (outcome, written)
                }
            }
            switch outcome {
            case .done:
                offset += written
                // A fast peer never makes us wait; without this a big reply would hog a pool thread.
                if offset < bytes.count { await Task.yield() }
            case .wantRead: try await tcp.waitReadable(deadline: deadline, operation: "write")
            case .wantWrite: try await tcp.waitWritable(deadline: deadline, operation: "write")
            case .closedByPeer: throw NetError.reset
            case .failed(let error): throw error
            }
        }
    }

    /// What is written from now on leaves with close_notify and the FIN, in one segment when it
    /// fits: see `TCPConnection.coalesceUntilClose`. Only for writes that `close` follows.
    public func coalesceUntilClose() { tcp.coalesceUntilClose() }

    /// Sends close_notify (without waiting for the peer's) and closes the socket.
    public func close() async { await close(deadline: .after(.milliseconds(500))) }

    /// `close()` for a caller with a deadline of its own (a probe): closing never runs past it.
    public func close(deadline: Deadline) async {
        let needsShutdown = guarded.withLock { handle in
            guard !handle.closed else { return false }
            handle.closed = true
            return true
        }
        guard needsShutdown else { return }
        for _ in 0..<4 {
            let outcome = guarded.withLock { handle in handle.performShutdown() }
            guard case .wantWrite = outcome else { break }
            try? await tcp.waitWritable(deadline: deadline, operation: "TLS shutdown")
        }
        tcp.closeNow()
    }
}

/// The certificate a TLS server presented, filled in by `TLSConnection.connect` whether or not
/// the certificate passed verification.
public final class PresentedCertificate: Sendable {
    private let seconds = Mutex<Double?>(nil)

    public init() {}

    /// The presented leaf's `notAfter` in Unix seconds; nil when no certificate arrived.
    public var notAfter: Double? { seconds.withLock { $0 } }

    func record(_ unixSeconds: Int64) {
        if unixSeconds >= 0 { seconds.withLock { $0 = Double(unixSeconds) } }
    }
}
