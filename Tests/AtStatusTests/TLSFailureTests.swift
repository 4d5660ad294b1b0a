import AtSimulator
import AtStatus
import NetIO
import TestSupport
import Testing

/// A refused certificate is `unavailable` with reason `certificate`, and the message says which
/// check failed, so an operator knows whether to renew, fix DNS or fix the trust store.
@Suite(.timeLimit(.minutes(1))) struct TLSFailureTests {
    func probe(_ scenario: Scenario, trustSimulatorCA: Bool = true) async throws -> ProbeResult {
        let alice = try AtSign("@alice")
        return try await withStarted(
            try await Simulator.start(scenarios: [alice: scenario]), stop: { await $0.shutdown() }
        ) { simulator in
            let context = try TLSContext.client(
                caPEM: trustSimulatorCA ? simulator.caPEM : nil, trustSystemStore: false)
            let checker = StatusChecker(
                configuration: .init(root: try RootAddress(parsing: simulator.rootAddress), timeout: Patience.deadline),
                context: context)
            return await checker.check(alice)
        }
    }

    @Test func expiredCertificate() async throws {
        let result = try await probe(.expired)
        #expect(result.status.serverStatus == .unavailable && result.httpStatus == 503)
        #expect(result.failure?.reason == .certificate && result.failure?.phase == .serverTLS)
        #expect(
            result.failure?.message.contains("certificate has expired") == true, "\(String(describing: result.failure))"
        )
        // The refused certificate's expiry is still reported: it lies in the past.
        let notAfter = try #require(result.serverCertificateNotAfter)
        #expect(notAfter < result.finishedAt)
    }

    @Test func wrongHostCertificate() async throws {
        let result = try await probe(.wrongHost)
        #expect(result.failure?.reason == .certificate && result.failure?.phase == .serverTLS)
        #expect(result.failure?.message.contains("mismatch") == true, "\(String(describing: result.failure))")
        #expect(try #require(result.serverCertificateNotAfter) > result.finishedAt)
    }

    @Test func untrustedCertificateAuthority() async throws {
        let result = try await probe(.activated, trustSimulatorCA: false)
        // The root's certificate is the first one refused: the root is unreachable, 502.
        #expect(result.status.rootStatus == .unavailable && result.httpStatus == 502)
        #expect(result.failure?.reason == .certificate && result.failure?.phase == .rootTLS)
        #expect(result.failure?.message.contains("local issuer") == true, "\(String(describing: result.failure))")
        #expect(try #require(result.rootCertificateNotAfter) > result.finishedAt)
    }

    /// An atServer whose certificate no trusted CA signed (reached as a proxy, so the root's
    /// certificate does not fail first) still reports its expiry.
    @Test func untrustedServerCertificateKeepsItsExpiry() async throws {
        let alice = try AtSign("@alice")
        let simulator = try await Simulator.start(scenarios: [alice: .activated])
        try await withStarted(simulator, stop: { await $0.shutdown() }) { simulator in
            let server = try ServerAddress(parsing: try #require(simulator.serverAddress(of: alice)))
            let checker = StatusChecker(
                configuration: .init(root: .proxy(server), timeout: Patience.deadline),
                context: try TLSContext.client(trustSystemStore: false))
            let result = await checker.check(alice)
            #expect(result.failure?.reason == .certificate && result.failure?.phase == .serverTLS)
            #expect(try #require(result.serverCertificateNotAfter) > result.finishedAt)
        }
    }

    @Test func certificateFactsAreRecorded() async throws {
        let result = try await probe(.activated)
        #expect(result.serverTLSVersion == "TLSv1.3")
        let notAfter = try #require(result.serverCertificateNotAfter)
        #expect(notAfter > result.finishedAt)
        #expect(result.rootCertificateNotAfter != nil)
        #expect(result.serverVersion == "3.0.52" && result.serverUptimeSeconds != nil)
    }
}
