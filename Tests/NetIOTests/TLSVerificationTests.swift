import AtSimulator
import Foundation
import TestSupport
import Testing

@testable import NetIO

/// Hostname rules (no partial wildcards, never the subject CN) and the expiry of a certificate
/// that verification refuses, with certificates from the simulator's test CA.
@Suite struct TLSVerificationTests {
    /// Serves `issued` on loopback: every connection gets a handshake and is then dropped.
    private func serve(_ issued: IssuedCertificate) throws -> (TCPListener, Task<Void, Never>) {
        let context = try TLSContext.server(certificatePEM: issued.certificatePEM, privateKeyPEM: issued.privateKeyPEM)
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let task = Task {
            while let tcp = try? await listener.accept() {
                Task {
                    _ = try? await TLSConnection.accept(
                        over: tcp, context: context, deadline: .after(Patience.deadline))
                }
            }
        }
        return (listener, task)
    }

    /// Handshakes with a server presenting `issued`, as `serverName`, trusting `caPEM`.
    private func handshake(
        _ issued: IssuedCertificate, serverName: String, caPEM: String?, presented: PresentedCertificate? = nil
    ) async throws {
        let (listener, server) = try serve(issued)
        defer {
            listener.close()
            server.cancel()
        }
        let tcp = try await TCPConnection.connect(to: listener.address, deadline: .after(Patience.deadline))
        let client = try TLSContext.client(caPEM: caPEM, trustSystemStore: false)
        let tls = try await TLSConnection.connect(
            over: tcp, context: client, serverName: serverName, presented: presented,
            deadline: .after(Patience.deadline))
        await tls.close()
    }

    private func isHostnameMismatch(_ error: any Error) -> Bool {
        guard case .certificate(let message) = error as? NetError else { return false }
        return message.lowercased().contains("hostname mismatch")
    }

    @Test func aPartialWildcardDoesNotMatch() async throws {
        let authority = try TestCertificateAuthority()
        let issued = try authority.issue(names: SubjectAlternativeNames(dnsNames: ["www*.example.test"]))
        await #expect(
            performing: {
                try await handshake(issued, serverName: "www1.example.test", caPEM: authority.certificatePEM)
            }, throws: isHostnameMismatch)
    }

    @Test func aWholeLabelWildcardStillMatches() async throws {
        let authority = try TestCertificateAuthority()
        let issued = try authority.issue(names: SubjectAlternativeNames(dnsNames: ["*.example.test"]))
        try await handshake(issued, serverName: "www1.example.test", caPEM: authority.certificatePEM)
    }

    /// Without any DNS subjectAltName OpenSSL would fall back to the subject CN; browsers do not.
    @Test func theSubjectCommonNameIsNeverAHostname() async throws {
        let authority = try TestCertificateAuthority()
        let issued = try authority.issue(
            commonName: "cn-only.example.test", names: SubjectAlternativeNames(ipAddresses: ["127.0.0.1"]))
        await #expect(
            performing: {
                try await handshake(issued, serverName: "cn-only.example.test", caPEM: authority.certificatePEM)
            }, throws: isHostnameMismatch)
    }

    /// Expired, wrong-host and untrusted certificates are refused, yet their notAfter is known.
    @Test(arguments: ["expired", "wrongHost", "untrusted"])
    func aRefusedCertificateKeepsItsExpiry(kind: String) async throws {
        let authority = try TestCertificateAuthority()
        let notAfter = Date().addingTimeInterval(kind == "expired" ? -86400 : 7 * 86400)
        let names = kind == "wrongHost" ? ["wrong.example"] : ["localhost"]
        let issued = try authority.issue(
            names: SubjectAlternativeNames(dnsNames: names),
            notBefore: notAfter.addingTimeInterval(-30 * 86400), notAfter: notAfter)
        let presented = PresentedCertificate()
        let trusted = kind == "untrusted" ? try TestCertificateAuthority().certificatePEM : authority.certificatePEM
        await #expect(throws: NetError.self) {
            try await handshake(issued, serverName: "localhost", caPEM: trusted, presented: presented)
        }
        let recorded = try #require(presented.notAfter)
        #expect(abs(recorded - notAfter.timeIntervalSince1970) < 2)
    }
}
