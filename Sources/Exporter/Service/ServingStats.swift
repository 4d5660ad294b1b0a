import Exposition
import Synchronization

/// The exporter's own serving health: requests by handler and code, fresh probes refused, and
/// what the last `/metrics` render cost. These change on every request, not with the snapshot,
/// so a scrape renders them afresh after the cached snapshot part (see `MetricsPage`).
final class ServingStats: Sendable {
    /// The `handler` label: one per route, `other` for unknown paths and for connections
    /// refused or unparsable before any path was read.
    enum Handler: String, Sendable, CaseIterable {
        case metrics, probe, status, landing, health, ready, reload, other
    }

    private struct State {
        var requests: [RequestKey: UInt64] = [:]
        var refused: [Handler: UInt64] = [:]
        var lastRender: (seconds: Double, series: Int)?
    }

    private struct RequestKey: Hashable {
        var handler: Handler
        var code: Int
    }

    private let telemetryPath: String
    private let state = Mutex(State())

    init(telemetryPath: String) {
        self.telemetryPath = telemetryPath
    }

    /// Called from the server's access-log hook: every answer, the 503s of
    /// `--web.max-connections` and the 400s of unparsable requests included.
    func count(target: String, code: Int) {
        let key = RequestKey(handler: handler(forTarget: target), code: code)
        state.withLock { $0.requests[key, default: 0] += 1 }
    }

    func countRefusedFreshProbe(_ handler: Handler) {
        state.withLock { $0.refused[handler, default: 0] += 1 }
    }

    func recordRender(seconds: Double, series: Int) {
        state.withLock { $0.lastRender = (seconds, series) }
    }

    func handler(forTarget target: String) -> Handler {
        var path = Substring(target.prefix { $0 != "?" })
        if !path.hasPrefix("/"), let scheme = path.range(of: "://") {
            path = path[scheme.upperBound...].drop { $0 != "/" }
        }
        switch path {
        case "": return .other
        case Substring(telemetryPath): return .metrics
        case "/probe": return .probe
        case "/": return .landing
        case "/-/healthy": return .health
        case "/-/ready": return .ready
        case "/-/reload": return .reload
        default: return path.hasPrefix("/api/v1/status/") ? .status : .other
        }
    }

    /// The families, sorted by label as the renderer prefers. The refusal counter is always
    /// there (0 until a refusal) so `rate()` over it has a series from the start.
    var families: [MetricFamily] {
        let state = state.withLock { $0 }
        var requests = Collector.family(
            "atsign_exporter_http_requests_total", "HTTP answers by handler and status code.", type: .counter)
        let keys = state.requests.keys.sorted {
            (String($0.code), $0.handler.rawValue) < (String($1.code), $1.handler.rawValue)
        }
        for key in keys {
            let labels = try! LabelSet(pairs: [("code", String(key.code)), ("handler", key.handler.rawValue)])
            requests.add(labels, Double(state.requests[key]!))
        }
        var refused = Collector.family(
            "atsign_exporter_fresh_probes_refused_total",
            "Fresh probes refused by --web.max-fresh-probes-per-second (answered 429).", type: .counter)
        refused.add(try! LabelSet(pairs: [("handler", Handler.status.rawValue)]), Double(state.refused[.status] ?? 0))
        var families = [requests, refused]
        if let last = state.lastRender {
            families.append(
                Collector.single(
                    "atsign_exporter_metrics_render_duration_seconds",
                    "How long the previous /metrics answer took to produce, compression included.", last.seconds))
            families.append(
                Collector.single(
                    "atsign_exporter_metrics_series", "Samples in the previous /metrics answer.", Double(last.series)))
        }
        return families
    }
}
