import NetIO
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
        let probeStatus = ProbeStatus(atSign: Self.alice, rootStatus: root, serverStatus: server)
        #expect(probeStatus.status() == status)
        #expect(probeStatus.httpStatus() == http)
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

/// PROTOCOL.md §4, the first two tables: how failures and answers become statuses.
@Suite struct FailureRuleTests {
    @Test(arguments: [
        (NetError.connectionRefused(address: "h:1"), RootStatus.stopped, ServerStatus.stopped),
        (.protocolViolation("garbage"), .error, .error),
        (.tooLarge(limit: 10), .error, .error),
        (.timeout(operation: "read"), .unavailable, .unavailable),
        (.reset, .unavailable, .unavailable),
        (.closed, .unavailable, .unavailable),
        (.dns(host: "h", message: "no such host"), .unavailable, .unavailable),
        (.tlsHandshake("bad"), .unavailable, .unavailable),
        (.certificate("expired"), .unavailable, .unavailable),
    ])
    func networkFailures(failure: NetError, root: RootStatus, server: ServerStatus) {
        #expect(RootStatus(failure: failure) == root)
        #expect(ServerStatus(failure: failure) == server)
    }

    @Test func greetingsAndKeys() {
        #expect(RootStatus(greeting: "Server stop in progress") == .stopped)
        #expect(RootStatus(greeting: "hello") == .error)
        #expect(ServerStatus(listed: false, valueIsNull: true) == .teapot)
        #expect(ServerStatus(listed: true, valueIsNull: true) == .ready)
        #expect(ServerStatus(listed: true, valueIsNull: false) == .activated)
        #expect(ServerStatus.answeredWrongly == .error)
    }
}
