import AtStatus
import Exposition
import NetIO
import WebServer

/// `/probe?target=@alice`, blackbox style: probes now and answers with that atSign's series plus
/// `probe_success` and `probe_duration_seconds`. A failed probe is a 200 with probe_success 0.
/// A Prometheus job drives it, so the fresh-probe rate limit does not apply: `--probe.concurrency`
/// slots bound it, and a scrape waits for a slot within its own timeout.
extension Routes {
    /// Prometheus sends its scrape timeout; answer within it, with room for the reply.
    static let scrapeTimeoutOffset = 0.5

    func probe(_ request: HTTPRequest) async -> HTTPResponse {
        let atSign: AtSign
        let debug: Bool
        do throws(ProbeRequestError) {
            (atSign, debug) = try Self.probeRequest(request)
        } catch {
            return .text(error.message + "\n", status: 400)
        }
        let timeout = Self.timeout(
            header: request.headers["X-Prometheus-Scrape-Timeout-Seconds"], default: service.settings.probeTimeout)
        let deadline = Deadline.after(timeout)
        do {
            try await service.probeSlots.acquire(deadline: deadline)
        } catch {
            let slots = service.settings.probeConcurrency
            return .text("all \(slots) probe slots (--probe.concurrency) stayed busy for \(timeout)\n", status: 503)
        }
        defer { service.probeSlots.release() }
        let budget = max(deadline.remaining, .milliseconds(100))
        guard let result = try? await service.freshProbe(atSign, timeout: budget) else { return Self.probeCancelled }
        let families = Self.families(for: result, collectors: service.collector.collectors)
        if debug { return .text(ProbeLog.text(result, timeout: budget, families: families)) }
        let format = ExpositionFormat.negotiate(accept: request.headers["Accept"])
        return Self.exposition(families, format: format, request: request)
    }

    struct ProbeRequestError: Error {
        let message: String
    }

    /// The target and `debug=true|false`; anything else named is an error saying what to send.
    static func probeRequest(_ request: HTTPRequest) throws(ProbeRequestError) -> (AtSign, debug: Bool) {
        guard let target = request.queryValue("target"), !target.isEmpty else {
            throw ProbeRequestError(message: "target parameter is missing: use /probe?target=@alice")
        }
        let atSign: AtSign
        do {
            atSign = try AtSign(target)
        } catch {
            throw ProbeRequestError(message: "\(error)")
        }
        switch request.queryValue("debug") {
        case nil, "false", "0": return (atSign, false)
        case "true", "1": return (atSign, true)
        case let other?:
            throw ProbeRequestError(message: "debug must be true or false, not \"\(other.debugEscaped)\"")
        }
    }

    /// The scrape timeout minus the offset, never above the configured probe timeout.
    static func timeout(header: String?, default configured: Duration) -> Duration {
        guard let header, let seconds = Double(header), seconds.isFinite, seconds > 0 else { return configured }
        let budget = max(seconds - scrapeTimeoutOffset, 0.1)
        return min(.milliseconds(Int64(budget * 1000)), configured)
    }

    /// The atSign's series from the configured collectors, as `/metrics` would show them after
    /// this one probe, plus blackbox's two.
    static func families(for result: ProbeResult, collectors: Set<MetricCollector>) -> [MetricFamily] {
        var record = AtSignRecord(atSign: result.status.atSign)
        record.result = result
        if result.succeeded { record.successes = 1 } else { record.failures = 1 }
        record.consecutiveFailures = record.failures
        record.statusChangedAt = result.finishedAt
        var set = AtSignFamilies(collectors: collectors, capacity: 1)
        set.add(record: record, result: result)
        var success = Collector.family(
            "probe_success", "1 when the atSign is activated (as atsign_up); 0 for every other status.")
        success.add(.empty, result.atSignStatus == .activated ? 1 : 0)
        var duration = Collector.family("probe_duration_seconds", "How long the probe took.")
        duration.add(.empty, result.durationSeconds)
        return set.all + [success, duration]
    }
}
