import AtStatus

/// What `/` was asked for: `?status=` narrows the list to one status, `?page=` picks a page of
/// `pageSize` rows. Anything else is a 400 saying what the page takes, so a typo is not
/// silently the whole fleet.
struct LandingQuery: Equatable {
    static let pageSize = 100

    var status: AtSignStatus?
    var page = 1

    struct Problem: Error, Equatable {
        let message: String
    }

    init(status: AtSignStatus? = nil, page: Int = 1) {
        self.status = status
        self.page = page
    }

    init(parameters: [(name: String, value: String)]) throws(Problem) {
        var seen: Set<String> = []
        for (name, value) in parameters {
            guard seen.insert(name).inserted else { throw Problem(message: "\(name) is given twice; give it once") }
            switch name {
            case "status": status = try Self.status(value)
            case "page":
                guard let number = Int(value), number >= 1 else {
                    throw Problem(message: "page must be a whole number from 1, not \"\(value.debugEscaped)\"")
                }
                page = number
            default:
                throw Problem(message: "unknown parameter \"\(name.debugEscaped)\": the page takes status and page")
            }
        }
    }

    private static func status(_ value: String) throws(Problem) -> AtSignStatus {
        if let status = AtSignStatus.allCases.first(where: { $0.rawValue.lowercased() == value.lowercased() }) {
            return status
        }
        let names = AtSignStatus.allCases.map(\.rawValue).joined(separator: ", ")
        throw Problem(message: "unknown status \"\(value.debugEscaped)\": use one of \(names)")
    }

    /// The link to this view, for `href` (escape it there).
    var link: String {
        var parts: [String] = []
        if let status { parts.append("status=\(status.rawValue)") }
        if page > 1 { parts.append("page=\(page)") }
        return parts.isEmpty ? "/" : "/?" + parts.joined(separator: "&")
    }
}

/// The rows `/` shows for a query, chosen from a snapshot.
struct LandingSelection {
    /// Problems first: no definite answer (unavailable, error), then onboarding and
    /// configuration states (teapot, notFound); newest first within each.
    static let problemRank: [AtSignStatus: Int] = [.unavailable: 0, .error: 0, .teapot: 1, .notFound: 1]

    var counts: [AtSignStatus: Int] = [:]
    var notProbed = 0
    /// Every problem, ranked; the page shows the first `pageSize`.
    var problems: [AtSignRecord] = []
    /// This page of the (filtered) list, in name order.
    var rows: [(AtSign, AtSignRecord?)] = []
    var pages = 1

    init(_ snapshot: Snapshot, query: LandingQuery) throws(LandingQuery.Problem) {
        var matching: [AtSign] = []
        for atSign in snapshot.targets {
            let record = snapshot.records[atSign]
            guard let status = record?.result?.atSignStatus else {
                notProbed += 1
                if query.status == nil { matching.append(atSign) }
                continue
            }
            counts[status, default: 0] += 1
            if query.status == nil || query.status == status { matching.append(atSign) }
            if let record, Self.problemRank[status] != nil { problems.append(record) }
        }
        problems.sort(by: Self.ranked)
        pages = max(1, (matching.count + LandingQuery.pageSize - 1) / LandingQuery.pageSize)
        guard query.page <= pages else {
            throw LandingQuery.Problem(message: "page \(query.page) is past the last page, \(pages)")
        }
        let start = (query.page - 1) * LandingQuery.pageSize
        rows = matching[start..<min(start + LandingQuery.pageSize, matching.count)].map { ($0, snapshot.records[$0]) }
    }

    private static func ranked(_ lhs: AtSignRecord, _ rhs: AtSignRecord) -> Bool {
        let (left, right) = (lhs.result!.status, rhs.result!.status)
        let ranks = (problemRank[left.status()]!, problemRank[right.status()]!)
        if ranks.0 != ranks.1 { return ranks.0 < ranks.1 }
        let since = (lhs.statusChangedAt ?? 0, rhs.statusChangedAt ?? 0)
        if since.0 != since.1 { return since.0 > since.1 }
        return left.atSign < right.atSign
    }
}
