import TestSupport

/// A CA and a leaf for the TLS tests, from `TestCertificates`.
struct OpenSSLCertificates {
    let caPEM: String
    let leafPEM: String
    let leafKeyPEM: String

    /// A CA and a leaf for `subjectAltName` valid `days` days.
    static func make(subjectAltName: String = "IP:127.0.0.1,DNS:localhost", days: Int = 2) async throws
        -> OpenSSLCertificates
    {
        try await TestCertificates.with(leaves: [.init("leaf", subjectAltName: subjectAltName)], days: days) { files in
            OpenSSLCertificates(
                caPEM: try files.text("ca.pem"), leafPEM: try files.text("leaf.pem"),
                leafKeyPEM: try files.text("leaf.key"))
        }
    }
}
