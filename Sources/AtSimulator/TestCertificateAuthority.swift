import COpenSSL
import Foundation

/// A leaf certificate and its key, both PEM, plus the PEM of the CA that signed it.
public struct IssuedCertificate: Sendable, Equatable {
    public let certificatePEM: String
    public let privateKeyPEM: String
    public let caPEM: String
}

/// A throwaway certificate authority made at start, so the simulator can speak real TLS and
/// clients can verify it with `--tls.ca-file` instead of turning verification off.
///
/// It holds only PEM text (not OpenSSL pointers), so it is a plain `Sendable` value; issuing
/// re-reads the CA key, which costs little next to generating the leaf key.
public struct TestCertificateAuthority: Sendable {
    public let certificatePEM: String
    public let privateKeyPEM: String

    /// The SANs an atServer on loopback needs to pass hostname checks for either address family.
    public static let loopbackNames = SubjectAlternativeNames(
        dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"])

    /// Makes a fresh P-256 CA key and a self-signed CA certificate valid from an hour ago for `days`.
    public init(commonName: String = "atsign_sim test CA", days: Int = 30) throws(CertificateError) {
        guard let key = copenssl_generate_ec_key() else { throw .openSSL("generating the CA key") }
        defer { EVP_PKEY_free(key) }
        let now = Date()
        let certificate = try CertificateBuilder.make(
            subject: commonName, publicKey: key,
            notBefore: now.addingTimeInterval(-3600), notAfter: now.addingTimeInterval(Double(days) * 86400))
        defer { X509_free(certificate) }
        try CertificateBuilder.addExtensions(
            to: certificate, issuer: certificate,
            [
                (NID_basic_constraints, "critical,CA:TRUE"), (NID_key_usage, "critical,keyCertSign,cRLSign"),
                (NID_subject_key_identifier, "hash"), (NID_authority_key_identifier, "keyid:always"),
            ])
        try CertificateBuilder.sign(certificate, issuer: certificate, key: key)
        certificatePEM = try OpenSSLPEM.certificatePEM(certificate)
        privateKeyPEM = try OpenSSLPEM.privateKeyPEM(key)
    }

    /// Issues a server certificate for `names`, valid from `notBefore` to `notAfter` (both may be
    /// in the past to make an expired certificate).
    public func issue(
        commonName: String = "localhost", names: SubjectAlternativeNames = loopbackNames,
        notBefore: Date = Date().addingTimeInterval(-3600), notAfter: Date = Date().addingTimeInterval(30 * 86400)
    ) throws(CertificateError) -> IssuedCertificate {
        let caCertificate = try OpenSSLPEM.certificate(certificatePEM)
        defer { X509_free(caCertificate) }
        let caKey = try OpenSSLPEM.privateKey(privateKeyPEM)
        defer { EVP_PKEY_free(caKey) }
        guard let key = copenssl_generate_ec_key() else { throw .openSSL("generating a leaf key") }
        defer { EVP_PKEY_free(key) }
        let certificate = try CertificateBuilder.make(
            subject: commonName, publicKey: key, notBefore: notBefore, notAfter: notAfter)
        defer { X509_free(certificate) }
        guard X509_set_issuer_name(certificate, X509_get_subject_name(caCertificate)) == 1 else {
            throw .openSSL("setting the issuer name")
        }
        try CertificateBuilder.addExtensions(
            to: certificate, issuer: caCertificate,
            [
                (NID_basic_constraints, "critical,CA:FALSE"), (NID_key_usage, "critical,digitalSignature"),
                (NID_ext_key_usage, "serverAuth"), (NID_subject_key_identifier, "hash"),
                (NID_authority_key_identifier, "keyid:always"), (NID_subject_alt_name, names.configValue),
            ])
        try CertificateBuilder.sign(certificate, issuer: caCertificate, key: caKey)
        return IssuedCertificate(
            certificatePEM: try OpenSSLPEM.certificatePEM(certificate),
            privateKeyPEM: try OpenSSLPEM.privateKeyPEM(key), caPEM: certificatePEM)
    }

    /// A certificate that expired yesterday (valid for the 30 days before): the `expired` scenario.
    public func issueExpired(names: SubjectAlternativeNames = loopbackNames) throws(CertificateError)
        -> IssuedCertificate
    {
        let now = Date()
        return try issue(
            names: names, notBefore: now.addingTimeInterval(-31 * 86400), notAfter: now.addingTimeInterval(-86400))
    }

    /// A valid certificate whose only name is `wrong.example`: the `wrongHost` scenario.
    public func issueWrongHost() throws(CertificateError) -> IssuedCertificate {
        try issue(commonName: "wrong.example", names: SubjectAlternativeNames(dnsNames: ["wrong.example"]))
    }
}

/// The subjectAltName entries of a leaf certificate.
public struct SubjectAlternativeNames: Sendable, Equatable {
    public var dnsNames: [String]
    public var ipAddresses: [String]

    public init(dnsNames: [String] = [], ipAddresses: [String] = []) {
        self.dnsNames = dnsNames
        self.ipAddresses = ipAddresses
    }

    /// The OpenSSL config form, e.g. `DNS:localhost,IP:127.0.0.1,IP:::1`.
    var configValue: String {
        (dnsNames.map { "DNS:\($0)" } + ipAddresses.map { "IP:\($0)" }).joined(separator: ",")
    }
}
