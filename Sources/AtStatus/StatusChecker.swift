import Basics
import NetIO

/// The port of `AtStatusImpl.get(atSign)`: one root lookup, then one atServer check, all under a
/// single deadline and with no retries (a failed probe is data; the next round probes again).
public final class StatusChecker: Sendable {
    public struct Configuration: Sendable {
        public var root: RootAddress
        public var timeout: Duration
        public var askInfo: Bool
        /// When set, locations outside these domain suffixes are refused before any connection.
        public var allowedDomains: [String]?

        public init(
            root: RootAddress = .default, timeout: Duration = .seconds(10), askInfo: Bool = true,
            allowedDomains: [String]? = nil
        ) {
            self.root = root
            self.timeout = timeout
            self.askInfo = askInfo
            self.allowedDomains = allowedDomains
        }
    }

    public let configuration: Configuration
    public let root: RootDirectory
    private let server: AtServerClient

    /// `root` lets checkers built one after another (reloads) share one pool of root connections;
    /// by default the checker gets a pool of its own with `rootPool`'s settings.
    public init(
        configuration: Configuration, context: TLSContext, rootPool: RootPoolSettings = .init(),
        root: RootDirectory? = nil
    ) {
        self.configuration = configuration
        self.root = root ?? RootDirectory(address: configuration.root.address, context: context, settings: rootPool)
        server = AtServerClient(context: context, askInfo: configuration.askInfo)
    }

    /// Checks `atSign` and always returns a result, within the timeout (default: the configured one).
    public func check(_ atSign: AtSign, timeout: Duration? = nil) async -> ProbeResult {
        await check(atSign, deadline: .after(timeout ?? configuration.timeout))
    }

    /// Checks `atSign` and always returns a result by `deadline`. The prober sets the deadline
    /// when the probe starts, as it sets its cut-off: counted from when this task first ran, a
    /// busy thread pool would push it past the cut-off, which then ended probes that were about
    /// to report their own timeout (a `root_wait` read as a cut-off `server_check`).
    public func check(_ atSign: AtSign, deadline: Deadline) async -> ProbeResult {
        let start = Deadline.now
        var result = ProbeResult(
            status: ProbeStatus(atSign: atSign, rootStatus: .unavailable, serverStatus: .unavailable))
        let location: ServerAddress
        let viaProxy: Bool
        switch configuration.root {
        case .proxy(let address):
            (location, viaProxy) = (address, true)
            result.status.rootStatus = .found
            result.rootReachable = true
        case .directory:
            let lookup = await root.lookup(atSign, deadline: deadline)
            result.status.rootStatus = lookup.status
            result.phaseSeconds.merge(lookup.phaseSeconds) { $1 }
            result.failure = lookup.failure
            result.rootCertificateNotAfter = lookup.certificateNotAfter
            result.rootReachable = lookup.status == .found || lookup.status == .notFound
            guard lookup.status == .found, let found = lookup.location else { return finish(result, start) }
            (location, viaProxy) = (found, false)
        }
        result.status.serverLocation = location.description
        if let refusal = refusal(of: location) {
            result.status.serverStatus = .answeredWrongly
            result.failure = refusal
            return finish(result, start)
        }
        let check = await server.check(atSign, at: location, viaProxy: viaProxy, deadline: deadline)
        result.status.serverStatus = check.status
        result.phaseSeconds.merge(check.phaseSeconds) { $1 }
        result.failure = check.failure
        result.serverCertificateNotAfter = check.certificateNotAfter
        result.serverTLSVersion = check.tlsVersion
        result.serverVersion = check.version
        result.serverUptimeSeconds = check.uptimeSeconds
        return finish(result, start)
    }

    /// Whether the root answers at all; nil for a proxy root, which has no root to ask.
    public func pingRoot(timeout: Duration? = nil) async -> RootLookup? {
        await pingRoot(deadline: .after(timeout ?? configuration.timeout))
    }

    public func pingRoot(deadline: Deadline) async -> RootLookup? {
        guard case .directory = configuration.root else { return nil }
        return await root.ping(deadline: deadline)
    }

    private func refusal(of location: ServerAddress) -> ProbeFailure? {
        guard let domains = configuration.allowedDomains else { return nil }
        let host = location.host.lowercased()
        let allowed = domains.contains { domain in
            let suffix = domain.lowercased().trimmingPrefix(".")
            return host == suffix || host.hasSuffix("." + suffix)
        }
        if allowed { return nil }
        return ProbeFailure(
            reason: .forbiddenLocation, phase: .serverConnect,
            message: "location \(location) is outside --probe.allowed-domains")
    }

    private func finish(_ result: ProbeResult, _ start: Deadline) -> ProbeResult {
        var result = result
        result.durationSeconds = Deadline.now.seconds(since: start)
        result.finishedAt = WallTime.now()
        // A definite answer is not a failure, even when a later optional step stumbled.
        if result.succeeded { result.failure = nil }
        return result
    }
}
