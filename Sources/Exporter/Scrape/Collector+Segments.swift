import AtStatus
import Exposition

/// The collector seen as the scrape machinery needs it: one atSign's families on their own
/// (pre-rendered when its result is recorded) and the snapshot-wide ones (rendered per scrape).
extension Collector {
    /// The per-atSign families, empty, in the order `atSignFamilies(_:)` returns them: their
    /// names, HELP and TYPE for the page's headers.
    var atSignTemplates: [MetricFamily] { AtSignFamilies(capacity: 0).all }

    /// One atSign's series, one family per template (empty ones included); nil before its first result.
    func atSignFamilies(_ record: AtSignRecord) -> [MetricFamily]? {
        guard let result = record.result else { return nil }
        // A copy of empty families: creating them validates every name and costs more than the series.
        var set = Self.emptyAtSignFamilies
        set.add(record: record, result: result, states: .shared)
        return set.all
    }

    private static let emptyAtSignFamilies = AtSignFamilies(capacity: 0)

    /// Every family that is not per atSign, except the process ones.
    func sharedFamilies(_ snapshot: Snapshot) -> [MetricFamily] {
        rootFamilies(snapshot.root) + exporterFamilies(snapshot)
    }
}
