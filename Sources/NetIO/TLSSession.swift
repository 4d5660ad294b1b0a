import COpenSSL

/// A TLS session a client may offer on its next handshake with the same server, so that one
/// skips the certificate exchange and verification (an abbreviated handshake).
///
/// It wraps an OpenSSL `SSL_SESSION`, which is reference counted and immutable once the
/// handshake that made it is over, so one value may be offered by several connections.
public final class TLSSession: @unchecked Sendable {
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) { self.pointer = pointer }

    deinit { SSL_SESSION_free(pointer) }
}

extension TLSConnection {
    /// The session to offer on the next handshake with this server, or nil when the server gave
    /// none that can be resumed. With TLS 1.3 the server sends its ticket after the handshake,
    /// so ask after the first read.
    public func resumableSession() -> TLSSession? {
        withSSL { ssl -> TLSSession? in
            guard let session = SSL_get1_session(ssl) else { return nil }
            guard SSL_SESSION_is_resumable(session) == 1 else {
                SSL_SESSION_free(session)
                return nil
            }
            return TLSSession(pointer: session)
        }
    }
}
