import AtStatus

/// One simulated atSign and how it behaves.
public struct FleetEntry: Sendable, Hashable {
    public let atSign: AtSign
    public var scenario: Scenario

    public init(atSign: AtSign, scenario: Scenario) {
        self.atSign = atSign
        self.scenario = scenario
    }
}

/// What the simulator serves: the atSigns in a stable order, the root's mode, and the network
/// between a client and the root and atServers (loopback unless set).
public struct Fleet: Sendable, Equatable {
    public var entries: [FleetEntry]
    public var rootMode: RootMode
    public var rootLink: LinkConditions
    public var serverLink: LinkConditions

    public init(
        entries: [FleetEntry], rootMode: RootMode = .normal, rootLink: LinkConditions = .loopback,
        serverLink: LinkConditions = .loopback
    ) {
        self.entries = entries
        self.rootMode = rootMode
        self.rootLink = rootLink
        self.serverLink = serverLink
    }

    /// One atSign per scenario, named after it (`@activated`, `@notfound`, `@slow`, ...): the
    /// default fleet of `atsign_sim` and of the exporter's `--demo`.
    /// Slow but activated within the demo's 4 s timeout: the delay comes before each of the
    /// atServer's three answers (scan, lookup, info:brief).
    public static let demoSlowDelay = Duration.milliseconds(800)

    public static var demo: Fleet {
        let scenarios: [Scenario] = [
            .activated, .ready, .teapot, .notFound, .stopped, .hung, .garbage, .errorReply,
            .slow(demoSlowDelay), .wrongHost, .expired,
        ]
        return Fleet(
            entries: scenarios.map { scenario in
                let name = scenario.description.split(separator: ":")[0].lowercased()
                return FleetEntry(atSign: try! AtSign(name), scenario: scenario)
            })
    }

    /// `count` atSigns `@sim00001`, `@sim00002`, ... whose scenarios follow `mix` exactly.
    ///
    /// Counts come from the weights by largest remainder, so `activated=90,hung=10` over 10,000
    /// gives exactly 9,000 and 1,000; the order is a smooth weighted round robin, so every
    /// stretch of the fleet is mixed alike (a shard or a prefix sees the same proportions).
    public static func generate(count: Int, mix: [(Scenario, Int)]) -> Fleet {
        guard count > 0 else { return Fleet(entries: []) }
        let counts = apportion(count, weights: mix.map(\.1))
        var credit = [Int](repeating: 0, count: mix.count)
        let width = max(5, String(count).count)
        var entries: [FleetEntry] = []
        entries.reserveCapacity(count)
        for index in 1...count {
            for slot in credit.indices { credit[slot] += counts[slot] }
            let chosen = credit.indices.max { credit[$0] < credit[$1] || (credit[$0] == credit[$1] && $0 > $1) }!
            credit[chosen] -= count
            let digits = String(index)
            let name = "@sim" + String(repeating: "0", count: width - digits.count) + digits
            entries.append(FleetEntry(atSign: try! AtSign(name), scenario: mix[chosen].0))
        }
        return Fleet(entries: entries)
    }

    /// Splits `total` in proportion to `weights`, summing exactly to `total`.
    static func apportion(_ total: Int, weights: [Int]) -> [Int] {
        let sum = weights.reduce(0, +)
        guard sum > 0 else { return weights.map { _ in 0 } }
        var counts = weights.map { total * $0 / sum }
        let byRemainder = weights.indices.sorted { (total * weights[$0]) % sum > (total * weights[$1]) % sum }
        for slot in byRemainder.prefix(total - counts.reduce(0, +)) { counts[slot] += 1 }
        return counts
    }

    /// Parses `activated=90,hung=10` (weights, not necessarily summing to 100).
    public static func parseMix(_ text: String) throws(MixError) -> [(Scenario, Int)] {
        var mix: [(Scenario, Int)] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let equals = part.lastIndex(of: "=") else { throw .malformed(String(part)) }
            let name = part[..<equals].trimmingSpaces
            let weightText = part[part.index(after: equals)...].trimmingSpaces
            guard let weight = Int(weightText), weight >= 0 else { throw .badWeight(part: String(part)) }
            let scenario: Scenario
            do { scenario = try Scenario(name: name) } catch { throw .scenario(error) }
            mix.append((scenario, weight))
        }
        guard mix.contains(where: { $0.1 > 0 }) else { throw .empty }
        return mix
    }
}

/// A `--mix` value that cannot be read; the message quotes the offending part.
public enum MixError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)
    case badWeight(part: String)
    case scenario(ScenarioError)
    case empty

    public var description: String {
        switch self {
        case .malformed(let part): "--mix: \"\(part)\" is not name=weight"
        case .badWeight(let part): "--mix: \"\(part)\": the weight must be a whole number >= 0"
        case .scenario(let error): "--mix: \(error)"
        case .empty: "--mix: give at least one scenario with a weight above 0"
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
