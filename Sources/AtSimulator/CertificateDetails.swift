import COpenSSL

/// What a PEM certificate says, read back through OpenSSL: the tests check issued certificates
/// with it, and the simulator logs the validity of what it serves.
public struct CertificateDetails: Sendable, Equatable {
    /// Unix seconds.
    public let notBefore: Int64
    /// Unix seconds.
    public let notAfter: Int64
    public let isCertificateAuthority: Bool
    private let pem: String

    public init(pem: String) throws(CertificateError) {
        let certificate = try OpenSSLPEM.certificate(pem)
        defer { X509_free(certificate) }
        notBefore = copenssl_asn1_time_to_unix(X509_get0_notBefore(certificate))
        notAfter = copenssl_asn1_time_to_unix(X509_get0_notAfter(certificate))
        isCertificateAuthority = X509_check_ca(certificate) != 0
        self.pem = pem
    }

    /// True when a client checking `host` (a DNS name or an IP literal) would accept the names.
    public func matches(host: String) -> Bool {
        guard let certificate = try? OpenSSLPEM.certificate(pem) else { return false }
        defer { X509_free(certificate) }
        if X509_check_ip_asc(certificate, host, 0) == 1 { return true }
        return X509_check_host(certificate, host, host.utf8.count, 0, nil) == 1
    }
}
