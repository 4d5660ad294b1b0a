import NetIO

/// Why a probe did not reach a definite answer: the `reason` label of `atsign_probe_failure_info`.
public enum FailureReason: String, Sendable, CaseIterable {
    case timeout
    case connectionRefused = "connection_refused"
    case dns
    case tlsHandshake = "tls_handshake"
    case certificate
    case reset
    case `protocol`
    case errorReply = "error_reply"
    case tooLarge = "too_large"
    /// A location outside `--probe.allowed-domains`: the exporter refused to connect.
    case forbiddenLocation = "forbidden_location"

    public init(_ error: NetError) {
        switch error {
        case .timeout: self = .timeout
        case .connectionRefused: self = .connectionRefused
        case .dns: self = .dns
        case .tlsHandshake: self = .tlsHandshake
        case .certificate: self = .certificate
        case .reset, .closed, .system, .cancelled: self = .reset
        case .tooLarge: self = .tooLarge
        case .protocolViolation: self = .protocol
        }
    }
}

/// The stages of one probe, each timed: the `phase` label.
public enum ProbePhase: String, Sendable, CaseIterable, Comparable {
    /// Queued for a free connection of our own root pool: not the root's doing.
    case rootWait = "root_wait"
    case rootConnect = "root_connect"
    case rootTLS = "root_tls"
    case rootLookup = "root_lookup"
    case serverConnect = "server_connect"
    case serverTLS = "server_tls"
    case serverCheck = "server_check"

    public static func < (lhs: ProbePhase, rhs: ProbePhase) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A failed probe is data: the reason, where it happened, and a message for logs and the API.
public struct ProbeFailure: Sendable, Hashable {
    public var reason: FailureReason
    public var phase: ProbePhase
    public var message: String

    public init(reason: FailureReason, phase: ProbePhase, message: String) {
        self.reason = reason
        self.phase = phase
        self.message = message
    }
}

/// Everything one probe of one atSign learned.
public struct ProbeResult: Sendable, Hashable {
    public var status: ProbeStatus
    /// Whole probe, root and atServer together, in seconds.
    public var durationSeconds: Double
    public var phaseSeconds: [ProbePhase: Double]
    public var failure: ProbeFailure?
    /// Wall-clock end of the probe, Unix seconds.
    public var finishedAt: Double
    public var serverVersion: String?
    public var serverUptimeSeconds: Double?
    public var serverCertificateNotAfter: Double?
    public var serverTLSVersion: String?
    public var rootCertificateNotAfter: Double?
    /// Whether the root answered at all (found or notFound): `atsign_root_up`.
    public var rootReachable: Bool

    public init(status: ProbeStatus) {
        self.status = status
        durationSeconds = 0
        phaseSeconds = [:]
        finishedAt = 0
        rootReachable = false
    }

    /// The overall status (`ProbeStatus.status()`, PROTOCOL.md §4).
    public var atSignStatus: AtSignStatus { status.status() }

    /// The HTTP code for it (`ProbeStatus.httpStatus()`, PROTOCOL.md §4).
    public var httpStatus: Int { status.httpStatus() }

    /// A probe succeeds when it reached a definite answer (status not unavailable or error).
    public var succeeded: Bool {
        switch atSignStatus {
        case .activated, .teapot, .notFound: true
        case .unavailable, .error: false
        }
    }
}
