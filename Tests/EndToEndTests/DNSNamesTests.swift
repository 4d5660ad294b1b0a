import Foundation
import TestSupport
import Testing

/// `atsign_exporter check` against atServers (and a root) addressed by DNS names, resolved by
/// the system resolver (glibc, resolv.conf) from the simulator's DNS responder, all inside a
/// network namespace the test makes. Needs root: skipped, with the reason, without it.
@Suite(
    .serialized, .timeLimit(.minutes(2)),
    .enabled(if: NetworkNamespace.unavailableReason == nil, "\(NetworkNamespace.unavailableReason ?? "")"))
struct DNSNamesTests {
    /// Runs `body` with `atsign_sim` inside a fresh namespace, its DNS responder on 127.0.0.1:53
    /// in `mode`; stops both afterwards, also when `body` throws.
    private func withSimulator(
        mode: String = "normal", resolverTimeoutSeconds: Int = 1, arguments: [String] = [],
        inside setup: [String]? = nil, _ body: (BuiltBinaries.Simulator, NetworkNamespace) async throws -> Void
    ) async throws {
        let namespace = try await NetworkNamespace(resolverTimeoutSeconds: resolverTimeoutSeconds)
        do {
            if let setup { try await namespace.run(command: setup) }
            let simulator = try await BuiltBinaries.Simulator.start(
                arguments: ["--dns.listen", "127.0.0.1:53", "--dns.mode", mode] + arguments, launcher: namespace.exec)
            do {
                try await body(simulator, namespace)
            } catch {
                await simulator.stop()
                throw error
            }
            await simulator.stop()
        } catch {
            await namespace.remove()
            throw error
        }
        await namespace.remove()
    }

    private func check(
        _ simulator: BuiltBinaries.Simulator, in namespace: NetworkNamespace, _ atSigns: [String],
        timeout: String = BuiltBinaries.patientProbeTimeout
    ) async throws -> [String: [String: Any]] {
        let run = try await namespace.run(
            "atsign_exporter",
            [
                "check", "--root.address", simulator.root, "--tls.ca-file", simulator.caFile, "--output", "json",
                "--probe.timeout", timeout,
            ] + atSigns)
        var results: [String: [String: Any]] = [:]
        for line in run.stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            results[try #require(object["atSign"] as? String)] = object
        }
        #expect(results.count == atSigns.count, "stdout: \(run.stdout) stderr: \(run.stderr)")
        return results
    }

    @Test func atServersByNameAreCheckedAndRefusedCertificatesKeepTheirExpiry() async throws {
        try await withSimulator { simulator, namespace in
            #expect(simulator.root.hasPrefix("root.sim.test:"))
            let results = try await check(simulator, in: namespace, ["@activated", "@expired", "@notfound"])
            let activated = try #require(results["@activated"])
            #expect(activated["status"] as? String == "activated", "\(activated)")
            #expect((activated["serverLocation"] as? String)?.hasPrefix("activated.sim.test:") == true)
            let expired = try #require(results["@expired"])
            #expect(expired["failureReason"] as? String == "certificate", "\(expired)")
            #expect((expired["message"] as? String)?.contains("expired") == true, "\(expired)")
            #expect((expired["serverCertificateNotAfter"] as? Double ?? .infinity) < Date().timeIntervalSince1970)
            #expect(results["@notfound"]?["status"] as? String == "notFound")
        }
    }

    @Test(arguments: ["nxdomain", "servfail"])
    func aFailingResolverIsADNSFailure(mode: String) async throws {
        try await withSimulator(mode: mode) { simulator, namespace in
            let result = try #require(try await check(simulator, in: namespace, ["@activated"])["@activated"])
            #expect(result["failureReason"] as? String == "dns", "\(result)")
            #expect(result["rootStatus"] as? String == "unavailable", "\(result)")
        }
    }

    /// A resolver slower than the probe: the probe ends at its deadline as a timeout, without
    /// waiting for glibc's own timeout (its longest, 30 s; the answer would come after 40 s).
    @Test func aSlowResolverEndsTheProbeAtItsDeadline() async throws {
        try await withSimulator(mode: "slow:40s", resolverTimeoutSeconds: 30) { simulator, namespace in
            let start = Date()
            let results = try await check(simulator, in: namespace, ["@activated"], timeout: "1s")
            let result = try #require(results["@activated"])
            #expect(result["failureReason"] as? String == "timeout", "\(result)")
            // Only tells the 1 s deadline from glibc's 30 s: wide, so a busy machine cannot fail it.
            #expect(Date().timeIntervalSince(start) < 20)
        }
    }

    /// A slow but working resolver (300 ms a query) still gives correct answers.
    @Test func aSlowResolverWithinTheDeadlineStillWorks() async throws {
        try await withSimulator(mode: "slow:300ms") { simulator, namespace in
            let result = try #require(try await check(simulator, in: namespace, ["@activated"])["@activated"])
            #expect(result["status"] as? String == "activated", "\(result)")
            let duration = result["durationSeconds"] as? Double ?? 0
            #expect(duration >= 0.6, "two lookups, root and atServer: \(result)")
        }
    }

    /// Every name resolves to 127.0.0.1 first, where SYNs are silently dropped, then to
    /// 127.0.0.2, where root and atServers listen: each connect costs one 250 ms attempt delay,
    /// not the probe (connecting in turn used to time out on the first address).
    @Test(.enabled(if: NetworkNamespace.iptables != nil, "iptables is not installed"))
    func aBlackholedFirstAddressCostsOneAttemptDelay() async throws {
        let drop = [
            NetworkNamespace.iptables ?? "", "-A", "OUTPUT", "-d", "127.0.0.1", "-p", "tcp", "--syn", "-j", "DROP",
        ]
        try await withSimulator(
            arguments: ["--listen", "127.0.0.2:0", "--dns.addresses", "127.0.0.1,127.0.0.2"], inside: drop
        ) { simulator, namespace in
            let results = try await check(simulator, in: namespace, ["@activated"])
            let result = try #require(results["@activated"])
            #expect(result["status"] as? String == "activated", "\(result)")
            let phases = result["phaseSeconds"] as? [String: Double] ?? [:]
            // The first address was tried (and abandoned) before the second: the stagger shows.
            #expect((phases["root_connect"] ?? 0) >= 0.2 && (phases["server_connect"] ?? 0) >= 0.2, "\(result)")
        }
    }
}
