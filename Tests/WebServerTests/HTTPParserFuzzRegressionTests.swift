import Foundation
import Testing

@testable import WebServer

/// Inputs the FuzzHTTPParser target stopped on, replayed from Tests/FuzzCorpus/FuzzHTTPParser.
/// The first 3 bytes of each steer the harness (chunking); the parser sees the rest.
@Suite struct HTTPParserFuzzRegressionTests {
    static func corpusInput(_ name: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("FuzzCorpus/FuzzHTTPParser/\(name)")
        return Array(try Data(contentsOf: url).dropFirst(3))
    }

    /// `Content-Length: 3,,,…` is the list `3` (RFC 9110 §5.6.1: empty elements are ignored), so
    /// the 3-byte body is read. The harness compared the body with the raw field value and
    /// stopped; the parser was right and the harness now reads the field as a list.
    @Test func contentLengthWithEmptyListElements() throws {
        let bytes = try Self.corpusInput("crash-623ba79d88b219d57a83bc71baf5766ff73d85ee")
        for splits in [[], [bytes.count * 0x60 / 255]] {
            let (requests, error) = parse(bytes, splits: splits)
            #expect(error == nil, "splits \(splits)")
            #expect(requests.map(\.body) == [Array("abc".utf8)], "splits \(splits)")
        }
        #expect(parse("POST / HTTP/1.1\r\nContent-Length: 3, 3,\r\n\r\nabc").requests.first?.body == Array("abc".utf8))
        #expect(
            parse("POST / HTTP/1.1\r\nContent-Length: 3, 4\r\n\r\nabc").error
                == HTTPParseError(status: 400, reason: "invalid Content-Length: 3, 4"))
    }

    /// A pipelined asterisk-form request (`GET *`): its path is `*`, not a `/` path as the harness
    /// assumed, and the request after it parses normally in any chunking.
    @Test func asteriskFormThenAnotherRequest() throws {
        let bytes = try Self.corpusInput("crash-9993c9e7e1dcbdd42fa12d98870c1e428eadeca2")
        for splits in [[], [bytes.count * 0x20 / 255, bytes.count * 0xa0 / 255]] {
            let (requests, error) = parse(bytes, splits: splits)
            #expect(error == nil, "splits \(splits)")
            #expect(requests.map(\.path) == ["*", "/metrics"], "splits \(splits)")
            #expect(requests.map(\.method) == ["GET", "GEU"], "splits \(splits)")
        }
    }
}
