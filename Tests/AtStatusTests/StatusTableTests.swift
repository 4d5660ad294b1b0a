import Testing

@testable import AtStatus

/// PROTOCOL.md §4, the third and fourth tables, row by row.
@Suite struct StatusTableTests {
    static let alice = try! AtSign("@alice")

    static let rows: [(RootStatus, ServerStatus, AtSignStatus, Int)] = {
        var rows: [(RootStatus, ServerStatus, AtSignStatus, Int)] = []
        for server in ServerStatus.allCases { rows.append((.notFound, server, .notFound, 404)) }
        rows.append((.found, .activated, .activated, 200))
        rows.append((.found, .ready, .teapot, 418))
        rows.append((.found, .teapot, .teapot, 418))
        rows.append((.found, .stopped, .unavailable, 503))
        rows.append((.found, .unavailable, .unavailable, 503))
        rows.append((.found, .error, .error, 500))
        for server in ServerStatus.allCases {
            rows.append((.stopped, server, .unavailable, 502))
            rows.append((.unavailable, server, .unavailable, 502))
            rows.append((.error, server, .error, 502))
        }
        return rows
    }()

    @Test(arguments: rows)
    func statusAndHTTPStatus(root: RootStatus, server: ServerStatus, status: AtSignStatus, http: Int) {
        let atStatus = AtStatus(atSign: Self.alice, rootStatus: root, serverStatus: server)
        #expect(atStatus.status() == status)
        #expect(atStatus.httpStatus() == http)
    }

    @Test func everyCombinationIsCovered() {
        #expect(Self.rows.count == RootStatus.allCases.count * ServerStatus.allCases.count)
    }

    @Test func spellingsFollowTheDartLibrary() {
        #expect(AtSignStatus.allCases.map(\.rawValue) == ["notFound", "teapot", "activated", "unavailable", "error"])
        #expect(RootStatus.allCases.map(\.rawValue) == ["found", "notFound", "stopped", "unavailable", "error"])
        #expect(
            ServerStatus.allCases.map(\.rawValue) == [
                "ready", "teapot", "activated", "stopped", "unavailable", "error",
            ])
    }
}
