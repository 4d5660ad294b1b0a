import AtStatus
import Exposition

/// The collector seen as the scrape page needs it: one atSign's families on their own
/// (pre-rendered when its result is recorded) and the snapshot-wide ones (rendered per scrape).
extension Collector {
    /// The per-atSign families of the enabled collectors, empty: their names, HELP and TYPE
    /// for the page's headers, and the starting point of `atSignFamilies(_:from:)`.
    var atSignTemplates: AtSignFamilies { AtSignFamilies(collectors: collectors, capacity: 0) }

    /// One atSign's series, one family per template (empty ones included); nil before its first result.
    /// `templates` is a copy of `atSignTemplates`: making the families anew validates every
    /// name and costs more than the series.
    func atSignFamilies(_ record: AtSignRecord, from templates: AtSignFamilies) -> [MetricFamily]? {
        guard let result = record.result else { return nil }
        var set = templates
        set.add(record: record, result: result)
        return set.all
    }

    /// Every family of `families(_:)` that is not per atSign, with the fleet counted as it went.
    func sharedFamilies(_ snapshot: Snapshot, fleet: FleetFamilies) -> [MetricFamily] {
        fleet.all + rootFamilies(snapshot.root) + exporterFamilies(snapshot)
    }
}
