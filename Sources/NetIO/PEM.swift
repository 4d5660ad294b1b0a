import COpenSSL

/// PEM decoding through OpenSSL memory BIOs.
enum PEM {
    /// Every certificate in `text`, in order. The caller frees them.
    static func certificates(_ text: String) throws(NetError) -> [OpaquePointer] {
        let bytes = Array(text.utf8)
        guard let bio = bytes.withUnsafeBytes({ BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }) else {
            throw .certificate("BIO_new_mem_buf failed")
        }
        defer { BIO_free(bio) }
        var result: [OpaquePointer] = []
        while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) { result.append(certificate) }
        ERR_clear_error()  // The loop ends on a "no start line" error, which is expected.
        return result
    }

    /// The private key in `text`. The caller frees it.
    static func privateKey(_ text: String) throws(NetError) -> OpaquePointer {
        let bytes = Array(text.utf8)
        guard let bio = bytes.withUnsafeBytes({ BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }) else {
            throw .certificate("BIO_new_mem_buf failed")
        }
        defer { BIO_free(bio) }
        guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else {
            throw .certificate("cannot read private key: \(openSSLErrorText())")
        }
        return key
    }
}
