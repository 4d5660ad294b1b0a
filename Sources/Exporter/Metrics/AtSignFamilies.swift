import AtStatus
import Exposition

/// One per-atSign family: how it is declared, and how one atSign's series are added to it.
/// `AtSignFamily.table` maps every collector to its families; nothing else decides what a
/// collector exposes, so the docs, `--help` and the renderer cannot disagree.
struct AtSignFamily: Sendable {
    let name: String
    let help: String
    var type: MetricType = .gauge
    /// Labels beside `atsign`, for `--help`.
    var labels: [String] = []
    /// Series per atSign at most (for reserving room), and how `--help` and README say it.
    var series = 1
    var seriesNote = "1"
    /// Appends this atSign's series, in label order.
    let add: @Sendable (inout MetricFamily, AtSignRecord, ProbeResult) -> Void

    private static let note = Collector.lastRound

    static let table: [MetricCollector: [AtSignFamily]] = [
        .status: [
            AtSignFamily(name: "atsign_up", help: "1 when the atSign's status is activated, else 0. \(note)") {
                $0.add($1.labels, $2.atSignStatus == .activated ? 1 : 0)
            },
            stateSet(
                "atsign_status", "Overall status of the atSign, one series per state; exactly one is 1. \(note)",
                StateLabels.shared.atSignStatus
            ) { $0.atSignStatus },
            AtSignFamily(
                name: "atsign_probe_failure_info",
                help: "Present while the last probe did not reach a definite answer. \(note)", type: .info,
                labels: ["reason", "phase"], seriesNote: "0 or 1: only while failing"
            ) { family, record, result in
                guard let failed = result.failure else { return }
                let info = try! LabelSet(["phase": failed.phase.rawValue, "reason": failed.reason.rawValue])
                family.add(try! record.labels.appending(info))
            },
        ],
        .duration: [
            // Absent while failing: then the time is mostly the deadline, failure_info says where
            // it went, and an atSign stays within 8 series by default.
            AtSignFamily(
                name: "atsign_probe_duration_seconds",
                help: "Duration of the last probe; absent while it failed (see atsign_probe_failure_info). \(note)",
                seriesNote: "0 or 1: only while not failing"
            ) { family, record, result in
                if result.failure == nil { family.add(record.labels, result.durationSeconds) }
            }
        ],
        .cert: [
            AtSignFamily(
                name: "atsign_server_cert_expiry_timestamp_seconds",
                help: "notAfter of the atServer's certificate, Unix seconds. \(note)",
                seriesNote: "0 or 1: once a certificate was seen"
            ) { family, record, result in
                if let notAfter = result.serverCertificateNotAfter { family.add(record.labels, notAfter) }
            }
        ],
        .rootStatus: [
            stateSet(
                "atsign_root_status", "What the atRoot said, one series per state. \(note)",
                StateLabels.shared.rootStatus
            ) {
                $0.status.rootStatus
            }
        ],
        .serverStatus: [
            stateSet(
                "atsign_server_status", "What the atServer said, one series per state. \(note)",
                StateLabels.shared.serverStatus
            ) { $0.status.serverStatus }
        ],
        .httpStatus: [
            AtSignFamily(
                name: "atsign_http_status",
                help: "The at_server_status httpStatus: 200, 404, 418, 500, 502 or 503; a code, not a count. \(note)"
            ) { $0.add($1.labels, Double($2.httpStatus)) }
        ],
        .phases: [
            AtSignFamily(
                name: "atsign_probe_phase_duration_seconds", help: "Duration of each phase of the last probe. \(note)",
                labels: ["phase"], series: ProbePhase.allCases.count,
                seriesNote: "up to \(ProbePhase.allCases.count): the phases the probe reached"
            ) { family, record, result in
                for (phase, set) in StateLabels.shared.phases {
                    if let seconds = result.phaseSeconds[phase] {
                        family.add(try! record.labels.appending(set), seconds)
                    }
                }
            }
        ],
        .serverInfo: serverInfo,
        .probes: [
            AtSignFamily(
                name: "atsign_probes_total", help: "Probes made; success means a definite answer was reached.",
                type: .counter, labels: ["result"], series: 2, seriesNote: "2"
            ) { family, record, _ in
                for (success, set) in StateLabels.shared.results {
                    family.add(try! record.labels.appending(set), Double(success ? record.successes : record.failures))
                }
            }
        ],
        .history: history,
    ]

    /// One series per state of `states`, 1 for the current one.
    private static func stateSet<State: Equatable & Sendable>(
        _ name: String, _ help: String, _ states: [(State, LabelSet)],
        current: @escaping @Sendable (ProbeResult) -> State
    ) -> AtSignFamily {
        AtSignFamily(
            name: name, help: help, labels: ["status"], series: states.count, seriesNote: "\(states.count)"
        ) { family, record, result in
            let now = current(result)
            for (value, set) in states { family.add(try! record.labels.appending(set), value == now ? 1 : 0) }
        }
    }

    private static let serverInfo = [
        AtSignFamily(
            name: "atsign_server_info", help: "What info:brief and the atRoot told about the atServer. \(note)",
            type: .info, labels: ["version", "location"], seriesNote: "1 once the atRoot found the atSign"
        ) { family, record, result in
            guard result.status.rootStatus == .found else { return }
            let info = try! LabelSet([
                "location": result.status.serverLocation ?? "", "version": result.serverVersion ?? "",
            ])
            family.add(try! record.labels.appending(info))
        },
        AtSignFamily(
            name: "atsign_server_uptime_seconds", help: "atServer uptime from info:brief. \(note)",
            seriesNote: "0 or 1: when info:brief told it"
        ) { family, record, result in
            if let seconds = result.serverUptimeSeconds { family.add(record.labels, seconds) }
        },
    ]

    private static let history = [
        AtSignFamily(
            name: "atsign_last_probe_timestamp_seconds", help: "When the last probe ended, Unix seconds. \(note)"
        ) { $0.add($1.labels, $2.finishedAt) },
        AtSignFamily(
            name: "atsign_status_change_timestamp_seconds",
            help: "When the overall status last changed, Unix seconds. \(note)"
        ) { family, record, _ in
            if let changedAt = record.statusChangedAt { family.add(record.labels, changedAt) }
        },
        AtSignFamily(
            name: "atsign_probe_consecutive_failures",
            help: "Probes in a row, up to the last, that did not reach a definite answer; 0 when the last did."
        ) { family, record, _ in family.add(record.labels, Double(record.consecutiveFailures)) },
    ]
}

/// The per-atSign families of the enabled collectors, filled one atSign at a time in sorted order.
struct AtSignFamilies {
    private let specs: [AtSignFamily]
    private(set) var all: [MetricFamily]

    init(collectors: Set<MetricCollector>, capacity: Int) {
        specs = collectors.sorted().flatMap(\.families)
        all = specs.map { spec in
            var family = Collector.family(spec.name, spec.help, type: spec.type)
            family.reserveCapacity(capacity * spec.series)
            return family
        }
    }

    mutating func add(record: AtSignRecord, result: ProbeResult) {
        for index in specs.indices { specs[index].add(&all[index], record, result) }
    }
}
