import COpenSSL
import Foundation

/// The X509 steps shared by the CA and its leaves; each returns or throws so a half-built
/// certificate never escapes.
enum CertificateBuilder {
    /// A v3 certificate with a random serial, subject CN = `subject`, issuer = subject (callers
    /// that sign with another CA overwrite it), the validity window and the public key.
    static func make(
        subject: String, publicKey: OpaquePointer, notBefore: Date, notAfter: Date
    ) throws(CertificateError) -> OpaquePointer {
        guard let certificate = X509_new() else { throw .openSSL("allocating a certificate") }
        do throws(CertificateError) {
            guard X509_set_version(certificate, 2) == 1,
                ASN1_INTEGER_set(X509_get_serialNumber(certificate), Int.random(in: 1...Int(Int32.max))) == 1
            else { throw CertificateError.openSSL("setting version and serial") }
            guard ASN1_TIME_set(X509_getm_notBefore(certificate), time_t(notBefore.timeIntervalSince1970)) != nil,
                ASN1_TIME_set(X509_getm_notAfter(certificate), time_t(notAfter.timeIntervalSince1970)) != nil
            else { throw CertificateError.openSSL("setting the validity") }
            let name = X509_get_subject_name(certificate)
            let bytes = Array(subject.utf8)
            guard X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, bytes, Int32(bytes.count), -1, 0) == 1,
                X509_set_issuer_name(certificate, name) == 1
            else { throw CertificateError.openSSL("setting the subject \(subject)") }
            guard X509_set_pubkey(certificate, publicKey) == 1 else {
                throw CertificateError.openSSL("setting the public key")
            }
            return certificate
        } catch {
            X509_free(certificate)
            throw error
        }
    }

    /// Adds v3 extensions given in OpenSSL config syntax (`critical,CA:TRUE`, `DNS:localhost`, ...).
    static func addExtensions(
        to certificate: OpaquePointer, issuer: OpaquePointer, _ extensions: [(Int32, String)]
    ) throws(CertificateError) {
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer, certificate, nil, nil, 0)
        for (nid, value) in extensions {
            guard let made = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw .openSSL("making the extension \(value)")
            }
            defer { X509_EXTENSION_free(made) }
            guard X509_add_ext(certificate, made, -1) == 1 else { throw .openSSL("adding the extension \(value)") }
        }
    }

    static func sign(_ certificate: OpaquePointer, issuer: OpaquePointer, key: OpaquePointer) throws(CertificateError) {
        guard X509_sign(certificate, key, EVP_sha256()) > 0 else { throw .openSSL("signing a certificate") }
    }
}
