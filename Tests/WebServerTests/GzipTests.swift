import Testing

@testable import WebServer

@Suite struct GzipTests {
    @Test func roundTrips() throws {
        let input = Array(String(repeating: "atsign_status{atsign=\"@alice\"} 1\n", count: 5000).utf8)
        let compressed = Gzip.compress(input)
        #expect(compressed.count < input.count / 10)
        #expect(Array(compressed.prefix(2)) == [0x1F, 0x8B])
        #expect(try Gzip.decompress(compressed) == input)
    }

    @Test func emptyInputRoundTrips() throws {
        #expect(try Gzip.decompress(Gzip.compress([])) == [])
    }

    @Test func randomBytesRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let input = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(try Gzip.decompress(Gzip.compress(input)) == input)
    }

    @Test func decompressionRefusesGarbageAndBombs() {
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress([1, 2, 3, 4]) }
        let bomb = Gzip.compress([UInt8](repeating: 0, count: 1 << 20))
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(bomb, limit: 1000) }
    }

    @Test(
        arguments: [
            (nil, false), ("", false), ("gzip", true), ("GZIP", true), ("deflate, gzip;q=0.5", true),
            ("gzip;q=0", false), ("gzip; q=0.0", false), ("gzip;q=0.001", true), ("x-gzip", true),
            ("*", true), ("*;q=0", false), ("br, *;q=0.1", true), ("gzip;q=0, *", false), ("identity", false),
            ("deflate", false), ("gzip;q=abc", false), ("gzip;q=2", false), (" gzip ; q=1 ", true),
        ] as [(String?, Bool)])
    func acceptEncodingQValues(header: String?, accepts: Bool) {
        #expect(AcceptEncoding.acceptsGzip(header) == accepts)
    }

    @Test func compressesOnlyWhenAccepted() throws {
        let response = HTTPResponse.text(String(repeating: "x", count: 1000))
        let plain = response.compressed(for: try HTTPRequest(method: "GET", target: "/"))
        #expect(plain.body == response.body)
        #expect(plain.headers["Content-Encoding"] == nil)
        #expect(plain.headers["Vary"] == "Accept-Encoding")
        let request = try HTTPRequest(
            method: "GET", target: "/",
            headers: HTTPHeaders([("Accept-Encoding", "deflate"), ("accept-encoding", "gzip")]))
        let gzipped = response.compressed(for: request)
        #expect(gzipped.headers["Content-Encoding"] == "gzip")
        #expect(gzipped.headers["Vary"] == "Accept-Encoding")
        #expect(try Gzip.decompress(gzipped.body) == response.body)
    }
}

@Suite struct GzipLevelTests {
    @Test func bigBodiesUseTheFastestLevel() throws {
        #expect(HTTPResponse.gzipLevel(forBytes: 1000) == 6)
        #expect(HTTPResponse.gzipLevel(forBytes: 2 << 20) == 1)
        let body = Array(String(repeating: "atsign_up{atsign=\"@sim00001\"} 1\n", count: 20_000).utf8)
        let request = try HTTPRequest(
            method: "GET", target: "/metrics", headers: HTTPHeaders([("Accept-Encoding", "gzip")]))
        let response = HTTPResponse(status: 200, body: body).compressed(for: request)
        #expect(response.headers["Content-Encoding"] == "gzip")
        #expect(try Gzip.decompress(response.body, limit: 1 << 24) == body)
    }
}
