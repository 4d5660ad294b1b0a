/// The per-atSign collectors, in node_exporter's style: each is a group of families that
/// `--collector.NAME` turns on and `--no-collector.NAME` off; `--metrics.detail` turns on all.
/// The default keeps what answers "is it alive, since when, how slow, why not" at 8 series per
/// healthy atSign, so a fleet of 10,000 stays within what a hosted Prometheus plan accepts.
public enum MetricCollector: String, Sendable, CaseIterable, Comparable {
    case status, duration, cert
    case rootStatus = "root_status"
    case serverStatus = "server_status"
    case httpStatus = "http_status"
    case phases
    case serverInfo = "server_info"
    case probes, history

    public static let defaults: Set<MetricCollector> = [.status, .duration, .cert]

    public var isDefault: Bool { Self.defaults.contains(self) }

    /// Its families, as `AtSignFamily.table` declares them.
    var families: [AtSignFamily] { AtSignFamily.table[self] ?? [] }

    /// One line for `--help`: each family with its series per atSign.
    var summary: String {
        let parts = families.map { family in
            let labels = family.labels.isEmpty ? "" : "{" + family.labels.joined(separator: ",") + "}"
            return "\(family.name)\(labels) (\(family.seriesNote))"
        }
        return "per atSign: " + parts.joined(separator: ", ")
    }

    public static func < (lhs: MetricCollector, rhs: MetricCollector) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The error for `--collector.NAME` or a `collector.NAME` config key that names no collector.
    static func unknown(_ name: String, in place: String) -> String {
        var message = "unknown collector \"\(name.debugEscaped)\" in \(place)"
        if let guess = EditDistance.closest(to: name, among: allCases.map(\.rawValue)) {
            message += "; did you mean \"\(guess)\"?"
        }
        return message + " The collectors are " + allCases.map(\.rawValue).joined(separator: ", ") + "."
    }

    /// The name after `collector.` or `no-collector.`, nil for any other flag name.
    static func flagCollectorName(_ name: String) -> String? {
        let bare = name.hasPrefix("no-") ? name.dropFirst(3) : Substring(name)
        return bare.hasPrefix("collector.") ? String(bare.dropFirst("collector.".count)) : nil
    }
}

extension Settings {
    /// The collectors this exporter runs: all with `--metrics.detail`, else the defaults, then
    /// each `--collector.NAME` / `--no-collector.NAME` given.
    public var collectors: Set<MetricCollector> {
        var enabled = metricsDetail ? Set(MetricCollector.allCases) : MetricCollector.defaults
        for (collector, on) in collectorChoices {
            if on { enabled.insert(collector) } else { enabled.remove(collector) }
        }
        return enabled
    }

    /// What `--collector.NAME` said for one collector, nil when it was not given: the flag
    /// table's key path.
    subscript(collector collector: MetricCollector) -> Bool? {
        get { collectorChoices[collector] }
        set { collectorChoices[collector] = newValue }
    }
}
