import AtStatus
import Exposition

/// The `status` / `phase` / `result` label sets, built once and kept in `LabelSet` order so each
/// atSign's series are appended already sorted (the renderer then skips sorting).
struct StateLabels: Sendable {
    let atSignStatus: [(AtSignStatus, LabelSet)]
    let rootStatus: [(RootStatus, LabelSet)]
    let serverStatus: [(ServerStatus, LabelSet)]
    let phases: [(ProbePhase, LabelSet)]
    let results: [(Bool, LabelSet)]
    let reasons: [(FailureReason, LabelSet)]

    static let shared = StateLabels()

    private init() {
        atSignStatus = Self.sorted(AtSignStatus.allCases, name: "status") { $0.rawValue }
        rootStatus = Self.sorted(RootStatus.allCases, name: "status") { $0.rawValue }
        serverStatus = Self.sorted(ServerStatus.allCases, name: "status") { $0.rawValue }
        phases = Self.sorted(ProbePhase.allCases, name: "phase") { $0.rawValue }
        results = Self.sorted([true, false], name: "result") { $0 ? "success" : "failure" }
        reasons = Self.sorted(FailureReason.allCases, name: "reason") { $0.rawValue }
    }

    private static func sorted<T>(_ values: [T], name: String, label: (T) -> String) -> [(T, LabelSet)] {
        values.map { ($0, try! LabelSet(pairs: [(name, label($0))])) }.sorted { $0.1 < $1.1 }
    }
}
