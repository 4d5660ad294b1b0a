import COpenSSL
import Glibc

/// What one non-blocking OpenSSL call asked for next.
enum SSLOutcome {
    case done
    case wantRead
    case wantWrite
    case closedByPeer
    case failed(NetError)
}

/// The `SSL` pointer and the closed flag, only touched under `TLSConnection`'s mutex.
struct SSLHandle: @unchecked Sendable {
    let ssl: OpaquePointer
    var closed = false

    /// Runs one OpenSSL I/O call and maps its result; a closed handle reports `.failed(.closed)`.
    func perform(_ call: (OpaquePointer) -> Int32) -> SSLOutcome {
        guard !closed else { return .failed(.closed) }
        ERR_clear_error()
        errno = 0
        let rc = call(ssl)
        if rc > 0 { return .done }
        let code = SSL_get_error(ssl, rc)
        switch code {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closedByPeer
        case SSL_ERROR_SYSCALL:
            let saved = errno
            if saved == ECONNRESET || saved == EPIPE { return .failed(.reset) }
            if saved == 0 { return .closedByPeer }
            return .failed(.system(operation: "TLS I/O", errno: saved))
        default:
            return .failed(.tlsHandshake(openSSLErrorText()))
        }
    }

    func performShutdown() -> SSLOutcome {
        ERR_clear_error()
        let rc = SSL_shutdown(ssl)
        if rc >= 0 { return .done }
        return SSL_get_error(ssl, rc) == SSL_ERROR_WANT_WRITE ? .wantWrite : .done
    }

    /// SNI and hostname (or IP) verification. SNI must not carry an IP literal (RFC 6066).
    func configureClient(serverName: String) throws(NetError) {
        let bare =
            serverName.hasPrefix("[") && serverName.hasSuffix("]")
            ? String(serverName.dropFirst().dropLast()) : serverName
        if SocketAddress(numericHost: bare, port: 0) != nil {
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), bare) == 1 else {
                throw .tlsHandshake("cannot verify against IP \(bare)")
            }
        } else {
            guard copenssl_set_sni(ssl, bare) == 1, SSL_set1_host(ssl, bare) == 1 else {
                throw .tlsHandshake("invalid server name \(bare)")
            }
            copenssl_set_strict_host_flags(ssl)
        }
    }

    /// A failed handshake is a certificate refusal when verification failed, else a TLS failure.
    func classifyHandshakeFailure(_ error: NetError) -> NetError {
        let verify = SSL_get_verify_result(ssl)
        if verify != X509_V_OK {
            return .certificate(String(cString: X509_verify_cert_error_string(verify)))
        }
        return error
    }
}
