import AtStatus
import Exposition
import WebServer

/// `/probe?target=@alice`, blackbox style: probes now and answers with that atSign's series plus
/// `probe_success` and `probe_duration_seconds`. A failed probe is a 200 with probe_success 0.
extension Routes {
    /// Prometheus sends its scrape timeout; answer within it, with room for the reply.
    static let scrapeTimeoutOffset = 0.5

    func probe(_ request: HTTPRequest) async -> HTTPResponse {
        guard let target = request.queryValue("target"), !target.isEmpty else {
            return .text("target parameter is missing: use /probe?target=@alice\n", status: 400)
        }
        let atSign: AtSign
        do {
            atSign = try AtSign(target)
        } catch {
            return .text("\(error)\n", status: 400)
        }
        guard service.freshProbes.tryAcquire() else {
            return .text("too many fresh probes; see --web.max-fresh-probes-per-second\n", status: 429)
        }
        let timeout = Self.timeout(
            header: request.headers["X-Prometheus-Scrape-Timeout-Seconds"], default: service.settings.probeTimeout)
        guard let result = try? await service.freshProbe(atSign, timeout: timeout) else { return Self.probeCancelled }
        let format = ExpositionFormat.negotiate(accept: request.headers["Accept"])
        return Self.exposition(Self.families(for: result), format: format, request: request)
    }

    /// The scrape timeout minus the offset, never above the configured probe timeout.
    static func timeout(header: String?, default configured: Duration) -> Duration {
        guard let header, let seconds = Double(header), seconds.isFinite, seconds > 0 else { return configured }
        let budget = max(seconds - scrapeTimeoutOffset, 0.1)
        return min(.milliseconds(Int64(budget * 1000)), configured)
    }

    static func families(for result: ProbeResult) -> [MetricFamily] {
        var record = AtSignRecord(atSign: result.status.atSign)
        record.result = result
        if result.succeeded { record.successes = 1 } else { record.failures = 1 }
        record.statusChangedAt = result.finishedAt
        var set = AtSignFamilies(capacity: 1)
        set.add(record: record, result: result, states: .shared)
        var success = Collector.family("probe_success", "1 when the probe reached a definite answer.")
        success.add(.empty, result.succeeded ? 1 : 0)
        var duration = Collector.family("probe_duration_seconds", "How long the probe took.")
        duration.add(.empty, result.durationSeconds)
        return set.all + [success, duration]
    }
}
