import AtStatus
import Exposition

/// The per-atSign families, filled one atSign at a time in sorted order.
struct AtSignFamilies {
    private static let note = Collector.lastRound
    var up = Collector.family("atsign_up", "1 when the atSign's status is activated, else 0. \(note)")
    var status = Collector.family(
        "atsign_status", "Overall status of the atSign, one series per state; exactly one is 1. \(note)")
    var rootStatus = Collector.family("atsign_root_status", "What the atRoot said, one series per state. \(note)")
    var serverStatus = Collector.family(
        "atsign_server_status", "What the atServer said, one series per state. \(note)")
    var httpStatus = Collector.family(
        "atsign_http_status", "The at_server_status httpStatus: 200, 404, 418, 500, 502 or 503. \(note)")
    var duration = Collector.family("atsign_probe_duration_seconds", "Duration of the last probe. \(note)")
    var phases = Collector.family(
        "atsign_probe_phase_duration_seconds", "Duration of each phase of the last probe. \(note)")
    var lastProbe = Collector.family(
        "atsign_last_probe_timestamp_seconds", "When the last probe ended, Unix seconds. \(note)")
    var changed = Collector.family(
        "atsign_status_change_timestamp_seconds", "When the overall status last changed, Unix seconds. \(note)")
    var probes = Collector.family(
        "atsign_probes_total", "Probes made; success means a definite answer was reached.", type: .counter)
    var failure = Collector.family(
        "atsign_probe_failure_info", "Present while the last probe did not reach a definite answer. \(note)",
        type: .info)
    var serverInfo = Collector.family(
        "atsign_server_info", "What info:brief and the atRoot told about the atServer. \(note)", type: .info)
    var uptime = Collector.family("atsign_server_uptime_seconds", "atServer uptime from info:brief. \(note)")
    var certificate = Collector.family(
        "atsign_server_cert_expiry_timestamp_seconds", "notAfter of the atServer's certificate, Unix seconds. \(note)")

    init(capacity: Int) {
        up.reserveCapacity(capacity)
        status.reserveCapacity(capacity * AtSignStatus.allCases.count)
        rootStatus.reserveCapacity(capacity * RootStatus.allCases.count)
        serverStatus.reserveCapacity(capacity * ServerStatus.allCases.count)
        httpStatus.reserveCapacity(capacity)
        duration.reserveCapacity(capacity)
        lastProbe.reserveCapacity(capacity)
    }

    mutating func add(record: AtSignRecord, result: ProbeResult, states: StateLabels) {
        let labels = record.labels
        let current = result.status
        let overall = current.status()
        up.add(labels, overall == .activated ? 1 : 0)
        for (value, set) in states.atSignStatus { status.add(try! labels.appending(set), value == overall ? 1 : 0) }
        for (value, set) in states.rootStatus {
            rootStatus.add(try! labels.appending(set), value == current.rootStatus ? 1 : 0)
        }
        for (value, set) in states.serverStatus {
            serverStatus.add(try! labels.appending(set), value == current.serverStatus ? 1 : 0)
        }
        httpStatus.add(labels, Double(current.httpStatus()))
        duration.add(labels, result.durationSeconds)
        for (phase, set) in states.phases {
            if let seconds = result.phaseSeconds[phase] { phases.add(try! labels.appending(set), seconds) }
        }
        lastProbe.add(labels, result.finishedAt)
        if let changedAt = record.statusChangedAt { changed.add(labels, changedAt) }
        for (success, set) in states.results {
            probes.add(try! labels.appending(set), Double(success ? record.successes : record.failures))
        }
        if let failed = result.failure {
            failure.add(
                try! labels.appending(LabelSet(["phase": failed.phase.rawValue, "reason": failed.reason.rawValue])))
        }
        if current.rootStatus == .found {
            let info = try! LabelSet(["location": current.serverLocation ?? "", "version": result.serverVersion ?? ""])
            serverInfo.add(try! labels.appending(info))
        }
        if let seconds = result.serverUptimeSeconds { uptime.add(labels, seconds) }
        if let notAfter = result.serverCertificateNotAfter { certificate.add(labels, notAfter) }
    }

    var all: [MetricFamily] {
        [
            up, status, rootStatus, serverStatus, httpStatus, duration, phases, lastProbe, changed, probes, failure,
            serverInfo, uptime, certificate,
        ]
    }
}
