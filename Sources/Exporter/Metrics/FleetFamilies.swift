import AtStatus
import Exposition

/// The fleet at a glance, counted in the same pass that fills the per-atSign families: alerts
/// and dashboards at 10,000 atSigns read these few series instead of aggregating every atSign.
/// Every status and reason is present, 0 included, so a rate or ratio never lacks a series.
struct FleetFamilies {
    private var byStatus: [AtSignStatus: Int] = [:]
    private var failing: [FailureReason: Int] = [:]

    mutating func add(_ result: ProbeResult, count: Int = 1) {
        byStatus[result.atSignStatus, default: 0] += count
        if let failure = result.failure { failing[failure.reason, default: 0] += count }
    }

    /// Takes back an `add`, when a newer result replaces this one (the scrape page's running count).
    mutating func remove(_ result: ProbeResult) { add(result, count: -1) }

    var all: [MetricFamily] {
        var statuses = Collector.family(
            "atsign_exporter_atsigns_by_status",
            "Configured atSigns in each status after their last probe; those not probed yet are in none.")
        for (status, labels) in StateLabels.shared.atSignStatus {
            statuses.add(labels, Double(byStatus[status] ?? 0))
        }
        var reasons = Collector.family(
            "atsign_exporter_atsigns_failing", "Configured atSigns whose last probe failed, by the failure's reason.")
        for (reason, labels) in StateLabels.shared.reasons {
            reasons.add(labels, Double(failing[reason] ?? 0))
        }
        return [statuses, reasons]
    }
}
