import COpenSSL

/// Why a certificate or key could not be made or read; carries OpenSSL's own text so the
/// cause (a bad SAN string, a broken PEM) is visible in the test output.
public struct CertificateError: Error, Sendable, Equatable, CustomStringConvertible {
    public let operation: String
    public let detail: String

    public var description: String { "\(operation) failed: \(detail)" }

    /// Builds the error from the last queued OpenSSL error, clearing the queue.
    static func openSSL(_ operation: String) -> CertificateError {
        var buffer = [CChar](repeating: 0, count: 256)
        copenssl_last_error(&buffer, buffer.count)
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return CertificateError(operation: operation, detail: text)
    }
}

/// Helpers around memory BIOs: every caller frees what it gets in a `defer`.
enum OpenSSLPEM {
    /// Runs `write` into a fresh memory BIO and returns the BIO's text.
    static func text(_ operation: String, _ write: (OpaquePointer) -> Int32) throws(CertificateError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw .openSSL(operation) }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw .openSSL(operation) }
        var data: UnsafeMutablePointer<CChar>?
        let length = copenssl_bio_mem_data(bio, &data)
        guard let data, length > 0 else { throw .openSSL(operation) }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// Parses the first certificate of a PEM text; the caller frees it with `X509_free`.
    static func certificate(_ pem: String) throws(CertificateError) -> OpaquePointer {
        let parsed: OpaquePointer? = withReadBIO(pem) { PEM_read_bio_X509($0, nil, nil, nil) }
        guard let parsed else { throw .openSSL("reading a PEM certificate") }
        return parsed
    }

    /// Parses a PEM private key; the caller frees it with `EVP_PKEY_free`.
    static func privateKey(_ pem: String) throws(CertificateError) -> OpaquePointer {
        let parsed: OpaquePointer? = withReadBIO(pem) { PEM_read_bio_PrivateKey($0, nil, nil, nil) }
        guard let parsed else { throw .openSSL("reading a PEM private key") }
        return parsed
    }

    static func certificatePEM(_ certificate: OpaquePointer) throws(CertificateError) -> String {
        try text("writing a PEM certificate") { PEM_write_bio_X509($0, certificate) }
    }

    static func privateKeyPEM(_ key: OpaquePointer) throws(CertificateError) -> String {
        try text("writing a PEM private key") { PEM_write_bio_PrivateKey($0, key, nil, nil, 0, nil, nil) }
    }

    private static func withReadBIO(_ pem: String, _ body: (OpaquePointer) -> OpaquePointer?) -> OpaquePointer? {
        let bytes = Array(pem.utf8)
        return bytes.withUnsafeBytes { raw -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }
}
