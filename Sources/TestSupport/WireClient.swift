import NetIO

/// Response headers as read off the wire, looked up without regard to case.
public struct WireHeaders: Sendable {
    public var fields: [(name: String, value: String)] = []

    public subscript(name: String) -> String? {
        fields.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A response as a test reads it off the wire.
public struct WireResponse: Sendable {
    public var status: Int
    public var headers: WireHeaders
    public var body: [UInt8]
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// The one HTTP/1.1 test client, over plain TCP or TLS: sends exact bytes, reads responses one by
/// one (framed by `Content-Length`), so tests can pipeline, trickle and watch the connection close.
public final class WireClient {
    public let stream: any ByteStream
    private var buffer: [UInt8] = []

    public init(stream: any ByteStream) { self.stream = stream }

    /// Connects to 127.0.0.1; generous by default, since the suite shares two cores.
    public convenience init(port: Int, timeout: Duration = Patience.deadline) async throws {
        self.init(stream: try await TCPConnection.connect(host: "127.0.0.1", port: port, deadline: .after(timeout)))
    }

    public func send(_ text: String, timeout: Duration = Patience.deadline) async throws {
        try await stream.write(Array(text.utf8), deadline: .after(timeout))
    }

    public func get(_ target: String, headers: [(String, String)] = [], timeout: Duration = Patience.deadline)
        async throws -> WireResponse
    {
        var head = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try await send(head + "\r\n", timeout: timeout)
        return try await response(timeout: timeout)
    }

    /// Reads one response; `head` says the request was HEAD, so no body follows.
    public func response(head: Bool = false, timeout: Duration = Patience.deadline) async throws -> WireResponse {
        let deadline = Deadline.after(timeout)
        var headEnd = Self.headEnd(buffer)
        while headEnd == nil {
            try await fill(deadline)
            headEnd = Self.headEnd(buffer)
        }
        let lines = String(decoding: buffer[..<headEnd!], as: UTF8.self).split(
            separator: "\r\n", omittingEmptySubsequences: false)
        var headers = WireHeaders()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            headers.fields.append((String(line[..<colon]), String(value.reversed().drop { $0 == " " }.reversed())))
        }
        buffer.removeFirst(headEnd! + 4)
        let length = head ? 0 : Int(headers["Content-Length"] ?? "0") ?? 0
        while buffer.count < length { try await fill(deadline) }
        defer { buffer.removeFirst(length) }
        let status = lines[0].split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return WireResponse(status: status, headers: headers, body: Array(buffer.prefix(length)))
    }

    /// True when the server closes the connection before `timeout` with nothing more to read.
    public func isClosedByServer(timeout: Duration = Patience.deadline) async -> Bool {
        guard buffer.isEmpty else { return false }
        do {
            return try await stream.read(maxBytes: 4096, deadline: .after(timeout)).isEmpty
        } catch NetError.reset {
            return true
        } catch {
            return false
        }
    }

    public func close() async { await stream.close() }

    private static func headEnd(_ buffer: [UInt8]) -> Int? {
        buffer.indices.dropLast(3).first { buffer[$0..<$0 + 4].elementsEqual([13, 10, 13, 10]) }
    }

    private func fill(_ deadline: Deadline) async throws {
        let bytes = try await stream.read(maxBytes: 65536, deadline: deadline)
        if bytes.isEmpty { throw NetError.closed }
        buffer.append(contentsOf: bytes)
    }
}
