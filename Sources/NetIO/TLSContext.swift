import COpenSSL
import Glibc

/// The lowest TLS version a context accepts. TLS 1.2 is the floor everywhere.
public enum TLSVersion: Sendable {
    case tls12, tls13

    var openSSLValue: Int32 { self == .tls13 ? COPENSSL_TLS1_3_VERSION : COPENSSL_TLS1_2_VERSION }
}

/// An OpenSSL `SSL_CTX`: trust store and options for clients, certificate and key for servers.
/// Immutable once built, so it is shared freely between connections.
public final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer
    let isServer: Bool

    /// Call first thing in `main`, before any thread exists: OpenSSL otherwise frees its global
    /// state in an atexit handler, racing the threads still inside it when the process exits
    /// (heap corruption was seen at shutdown with probes in flight).
    public static func prepareProcess() {
        _ = copenssl_init_without_atexit()
    }

    private init(server: Bool) throws(NetError) {
        guard let context = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method()) else {
            throw .tlsHandshake("SSL_CTX_new: \(openSSLErrorText())")
        }
        self.context = context
        isServer = server
        _ = copenssl_ctx_set_options(
            context, COPENSSL_OP_NO_COMPRESSION | COPENSSL_OP_NO_RENEGOTIATION | COPENSSL_OP_IGNORE_UNEXPECTED_EOF)
        _ = copenssl_ctx_set_mode_partial_writes(context)
        // Idle connections (the root pool keeps up to 256) give their record buffers back
        // between records instead of holding ~34 KB each for as long as they stay pooled.
        _ = copenssl_ctx_release_idle_buffers(context)
        copenssl_ctx_enable_read_ahead(context)
    }

    /// Whether connections from this context free their record buffers while idle.
    var releasesIdleBuffers: Bool { copenssl_ctx_releases_idle_buffers(context) != 0 }

    deinit { SSL_CTX_free(context) }

    /// A client context verifying peers against the system store plus `caFile` and/or `caPEM`.
    public static func client(
        caFile: String? = nil, caPEM: String? = nil, trustSystemStore: Bool = true, minimumVersion: TLSVersion = .tls12
    ) throws(NetError) -> TLSContext {
        let tls = try TLSContext(server: false)
        _ = copenssl_ctx_set_min_version(tls.context, minimumVersion.openSSLValue)
        SSL_CTX_set_verify(tls.context, SSL_VERIFY_PEER, nil)
        _ = copenssl_ctx_disable_session_cache(tls.context)
        if trustSystemStore { _ = SSL_CTX_set_default_verify_paths(tls.context) }
        if let caFile, SSL_CTX_load_verify_locations(tls.context, caFile, nil) != 1 {
            throw .certificate("cannot load CA file \(caFile): \(openSSLErrorText())")
        }
        if let caPEM { try tls.trust(pem: caPEM) }
        return tls
    }

    /// A server context presenting `certificatePEM` (leaf first, then any chain) with `privateKeyPEM`.
    /// With `clientCAPEM`, clients must present a certificate signed by it (mTLS).
    public static func server(
        certificatePEM: String, privateKeyPEM: String, minimumVersion: TLSVersion = .tls12, clientCAPEM: String? = nil
    ) throws(NetError) -> TLSContext {
        let tls = try TLSContext(server: true)
        _ = copenssl_ctx_set_min_version(tls.context, minimumVersion.openSSLValue)
        let certificates = try PEM.certificates(certificatePEM)
        guard let leaf = certificates.first else { throw .certificate("no certificate in PEM") }
        defer { certificates.forEach { X509_free($0) } }
        guard SSL_CTX_use_certificate(tls.context, leaf) == 1 else {
            throw .certificate("cannot use certificate: \(openSSLErrorText())")
        }
        for extra in certificates.dropFirst() {
            guard copenssl_ctx_add1_chain_cert(tls.context, extra) == 1 else {
                throw .certificate("cannot add chain certificate: \(openSSLErrorText())")
            }
        }
        let key = try PEM.privateKey(privateKeyPEM)
        defer { EVP_PKEY_free(key) }
        guard SSL_CTX_use_PrivateKey(tls.context, key) == 1, SSL_CTX_check_private_key(tls.context) == 1 else {
            throw .certificate("private key does not match the certificate: \(openSSLErrorText())")
        }
        if let clientCAPEM {
            try tls.trust(pem: clientCAPEM)
            SSL_CTX_set_verify(tls.context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        }
        return tls
    }

    private func trust(pem: String) throws(NetError) {
        let certificates = try PEM.certificates(pem)
        defer { certificates.forEach { X509_free($0) } }
        guard !certificates.isEmpty else { throw .certificate("no certificate in CA PEM") }
        let store = SSL_CTX_get_cert_store(context)
        for certificate in certificates where X509_STORE_add_cert(store, certificate) != 1 {
            throw .certificate("cannot add CA certificate: \(openSSLErrorText())")
        }
    }
}

/// The most recent OpenSSL error as text; clears the error queue.
func openSSLErrorText() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    copenssl_last_error(&buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
