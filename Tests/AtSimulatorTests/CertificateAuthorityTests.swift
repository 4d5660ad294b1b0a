import AtSimulator
import Foundation
import TestSupport
import Testing

@Suite struct CertificateAuthorityTests {
    let authority: TestCertificateAuthority

    init() throws { authority = try TestCertificateAuthority() }

    @Test func caIsSelfSignedAuthorityValidNow() async throws {
        let details = try CertificateDetails(pem: authority.certificatePEM)
        let now = Int64(Date().timeIntervalSince1970)
        #expect(details.isCertificateAuthority)
        #expect(details.notBefore < now && now < details.notAfter)
        #expect(authority.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(try await openSSLVerify(authority.certificatePEM) == "OK")
    }

    @Test func defaultLeafCoversLoopbackNamesAndVerifies() async throws {
        let leaf = try authority.issue()
        let details = try CertificateDetails(pem: leaf.certificatePEM)
        #expect(!details.isCertificateAuthority)
        #expect(details.matches(host: "localhost"))
        #expect(details.matches(host: "127.0.0.1"))
        #expect(details.matches(host: "::1"))
        #expect(!details.matches(host: "example.com"))
        #expect(leaf.caPEM == authority.certificatePEM)
        #expect(try await openSSLVerify(leaf.certificatePEM) == "OK")
    }

    @Test func expiredLeafHasValidityInThePast() async throws {
        let leaf = try authority.issueExpired()
        let details = try CertificateDetails(pem: leaf.certificatePEM)
        let now = Int64(Date().timeIntervalSince1970)
        #expect(details.notBefore < now && details.notAfter < now)
        #expect(try await openSSLVerify(leaf.certificatePEM).contains("certificate has expired"))
    }

    @Test func wrongHostLeafNamesOnlyWrongExample() throws {
        let details = try CertificateDetails(pem: authority.issueWrongHost().certificatePEM)
        #expect(details.matches(host: "wrong.example"))
        #expect(!details.matches(host: "localhost"))
        #expect(!details.matches(host: "127.0.0.1"))
    }

    @Test func leafFromAnotherAuthorityDoesNotVerify() async throws {
        let other = try TestCertificateAuthority().issue()
        #expect(try await openSSLVerify(other.certificatePEM) != "OK")
    }

    @Test func brokenPEMNamesTheFailure() {
        #expect(throws: CertificateError.self) { try CertificateDetails(pem: "not a certificate") }
        do {
            _ = try CertificateDetails(pem: "not a certificate")
        } catch {
            #expect(error.description.hasPrefix("reading a PEM certificate failed:"))
        }
    }

    /// Runs `openssl verify -CAfile` and returns its verdict: "OK" or the error line.
    private func openSSLVerify(_ leafPEM: String) async throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let caFile = directory.appendingPathComponent("ca.pem")
        let leafFile = directory.appendingPathComponent("leaf.pem")
        try authority.certificatePEM.write(to: caFile, atomically: true, encoding: .utf8)
        try leafPEM.write(to: leafFile, atomically: true, encoding: .utf8)
        let run = try await ProcessRunner.run("openssl", ["verify", "-CAfile", caFile.path, leafFile.path])
        return run.status == 0 ? "OK" : run.combined
    }
}
