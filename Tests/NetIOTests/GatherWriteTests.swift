import Glibc
import TestSupport
import Testing

@testable import NetIO

/// `write(parts:)`: thousands of parts (more than one `sendmsg` takes), empty ones and parts
/// larger than the socket buffer arrive whole and in order.
@Suite struct GatherWriteTests {
    static func parts() -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        for index in 0..<3000 {
            let line = Array("line \(index)\n".utf8)
            parts.append(index % 7 == 0 ? [] : line[...])
            if index == 1500 { parts.append([UInt8](repeating: UInt8(ascii: "x"), count: 4 << 20)[100...]) }
        }
        return parts
    }

    @Test func partsArriveWholeAndInOrderOverTCP() async throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let parts = Self.parts()
        let expected = parts.flatMap { $0 }
        let server = Task {
            let connection = try await listener.accept()
            try await connection.write(parts: parts, deadline: .after(Patience.deadline))
            await connection.close()
        }
        let client = try await TCPConnection.connect(
            host: "127.0.0.1", port: listener.port, deadline: .after(Patience.deadline))
        var received: [UInt8] = []
        while true {
            let chunk = try await client.read(maxBytes: 8192, deadline: .after(Patience.deadline))
            if chunk.isEmpty { break }
            received += chunk
        }
        try await server.value
        #expect(received.count == expected.count)
        #expect(received == expected)
    }

    @Test func theCursorResumesInsideAPartAfterAShortWrite() {
        let parts: [ArraySlice<UInt8>] = [Array("abc".utf8)[...], [], Array("defgh".utf8)[1...]]
        var cursor = GatherCursor(parts: parts)
        var vectors = [iovec](repeating: iovec(), count: 2)
        #expect(cursor.fill(&vectors) == 2)
        #expect(vectors[1].iov_len == 4)
        cursor.advance(by: 4)
        #expect(cursor.fill(&vectors) == 1)
        #expect(vectors[0].iov_len == 3)
        #expect(vectors[0].iov_base.load(as: UInt8.self) == UInt8(ascii: "f"))
        cursor.advance(by: 3)
        #expect(cursor.isDone)
    }
}
