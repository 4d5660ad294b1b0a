import AtStatus
import Foundation
import Testing

@testable import Exporter

@Suite struct StatusReportTests {
    static func sample() throws -> ProbeResult {
        var result = ProbeResult(
            status: ProbeStatus(
                atSign: try AtSign("@alice"), serverLocation: "127.0.0.1:6464", rootStatus: .found,
                serverStatus: .activated))
        result.durationSeconds = 0.12345
        result.finishedAt = 1_700_000_000.5
        result.phaseSeconds = [.rootLookup: 0.001, .serverCheck: 0.02]
        result.serverVersion = "3.0.52"
        return result
    }

    @Test func jsonLineFollowsTheInterfaceOrder() throws {
        let line = StatusReport.json(try Self.sample())
        #expect(
            line.hasPrefix(
                #"{"atSign":"@alice","rootStatus":"found","serverStatus":"activated","status":"activated","#
                    + #""httpStatus":200,"serverLocation":"127.0.0.1:6464","durationSeconds":0.123,"success":true,"#))
        #expect(line.contains(#""phaseSeconds":{"root_lookup":0.001,"server_check":0.02}"#))
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(object?["serverVersion"] as? String == "3.0.52")
    }

    @Test func failuresAreIncludedAndEscaped() throws {
        var result = try Self.sample()
        result.status.serverStatus = .unavailable
        result.failure = ProbeFailure(reason: .timeout, phase: .serverTLS, message: "said \"no\"\n\u{1}")
        let line = StatusReport.json(result)
        #expect(
            line.contains(#""failureReason":"timeout","failurePhase":"server_tls","message":"said \"no\"\n\u0001""#))
        #expect(line.contains(#""httpStatus":503"#))
        #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil)
    }

    @Test func tableAlignsColumns() throws {
        let text = StatusReport.table([StatusReport.tableHeader, StatusReport.tableRow(try Self.sample())])
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("ATSIGN  STATUS     HTTP  ROOT   SERVER     LOCATION"))
        #expect(lines[1].hasPrefix("@alice  activated  200   found  activated  127.0.0.1:6464  123ms"))
    }

    /// An atServer's error text goes to the terminal: escape sequences and bidi overrides in it
    /// are shown escaped, never obeyed; the JSON line escapes control characters as JSON does.
    @Test func serverTextIsEscapedForTheTerminal() throws {
        var result = try Self.sample()
        result.status.serverStatus = .error
        let hostile = "scan answered error:AT0003-\u{1B}[2J\u{9B}31mred\u{202E}txt.exe\r\nfake line\u{7}"
        result.failure = ProbeFailure(reason: .errorReply, phase: .serverCheck, message: hostile)
        let table = StatusReport.table([StatusReport.tableHeader, StatusReport.tableRow(result)])
        let controls = table.unicodeScalars.filter { scalar in
            scalar != "\n" && [.control, .format].contains(scalar.properties.generalCategory)
        }
        #expect(controls.isEmpty, "raw control or format characters reach the terminal: \(controls)")
        #expect(table.split(separator: "\n").count == 2)
        #expect(table.contains(#"error:AT0003-\u{1b}[2J\u{9b}31mred\u{202e}txt.exe\r\nfake line\u{7}"#))
        let json = StatusReport.json(result)
        #expect(json.contains(#"\u001b[2J\u009b31mred"#) && json.contains(#"\r\nfake line\u0007"#))
        #expect(!json.unicodeScalars.contains { $0.properties.generalCategory == .control })
    }

    @Test func emojiJoinersStayInTheTable() throws {
        #expect(StatusReport.terminalSafe("@👩\u{200D}💻") == "@👩\u{200D}💻")
    }
}
