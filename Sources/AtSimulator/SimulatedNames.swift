import AtStatus

/// DNS names for the simulated root and atServers: `root.DOMAIN` and one name per atSign under
/// `DOMAIN`, so clients resolve them (through a `DNSResponder`) as they would real ones.
public struct SimulatedNames: Sendable, Equatable {
    /// Lowercased, without a trailing dot, e.g. `sim.test`.
    public let domain: String

    public init(domain: String) throws(UsageError) {
        let lowered = domain.lowercased().trimmingSuffix(".")
        let labels = lowered.split(separator: ".", omittingEmptySubsequences: false)
        guard !labels.isEmpty, labels.allSatisfy({ Self.isLabel($0) }), lowered.utf8.count <= 200 else {
            throw UsageError("DNS domain \"\(domain)\" is not a name such as sim.test")
        }
        self.domain = lowered
    }

    public var rootName: String { "root.\(domain)" }

    /// The names the simulator's certificate must cover: everything under the domain.
    var certificateNames: [String] { [domain, "*.\(domain)"] }

    /// `NAME:PORT` for an atServer the root would give as `numeric` (`127.0.0.1:PORT`).
    func location(of atSign: AtSign, numeric: String) -> String {
        guard let colon = numeric.lastIndex(of: ":") else { return numeric }
        return "\(Self.label(for: atSign)).\(domain)\(numeric[colon...])"
    }

    /// The atSign's name when it is a valid DNS label, else `x` and a stable hash of it
    /// (atSigns may hold characters no hostname can).
    static func label(for atSign: AtSign) -> String {
        let name = String(atSign.withoutPrefix).lowercased()
        if isLabel(Substring(name)) { return name }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "x" + String(hash, radix: 16)
    }

    private static func isLabel(_ label: Substring) -> Bool {
        (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
            && label.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
