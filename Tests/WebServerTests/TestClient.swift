import NetIO
import Testing

@testable import WebServer

/// A response as a test reads it off the wire.
struct WireResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A raw HTTP client on loopback: sends exact bytes, reads responses one by one, so tests can
/// pipeline, trickle and watch the connection close.
final class TestClient {
    let connection: TCPConnection
    private var buffer: [UInt8] = []

    init(port: Int) async throws {
        connection = try await TCPConnection.connect(host: "127.0.0.1", port: port, deadline: .after(.seconds(5)))
    }

    func send(_ text: String) async throws {
        try await connection.write(Array(text.utf8), deadline: .after(.seconds(5)))
    }

    /// Reads one response; `head` says the request was HEAD, so no body follows.
    func response(head: Bool = false, timeout: Duration = .seconds(5)) async throws -> WireResponse {
        let deadline = Deadline.after(timeout)
        var headEnd: Int?
        while headEnd == nil {
            headEnd = buffer.indices.dropLast(3).first { buffer[$0..<$0 + 4].elementsEqual([13, 10, 13, 10]) }
            if headEnd == nil { try await fill(deadline) }
        }
        let lines = String(decoding: buffer[..<headEnd!], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1])!
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            let colon = line.firstIndex(of: ":")!
            headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingHTTPWhitespace())
        }
        buffer.removeFirst(headEnd! + 4)
        let length = head ? 0 : Int(headers["Content-Length"] ?? "0")!
        while buffer.count < length { try await fill(deadline) }
        defer { buffer.removeFirst(length) }
        return WireResponse(status: status, headers: headers, body: Array(buffer.prefix(length)))
    }

    /// True when the server closes the connection before `timeout` with nothing more to read.
    func isClosedByServer(timeout: Duration = .seconds(5)) async -> Bool {
        guard buffer.isEmpty else { return false }
        do {
            return try await connection.read(maxBytes: 4096, deadline: .after(timeout)).isEmpty
        } catch NetError.reset {
            return true
        } catch {
            return false
        }
    }

    private func fill(_ deadline: Deadline) async throws {
        let bytes = try await connection.read(maxBytes: 65536, deadline: deadline)
        if bytes.isEmpty { throw NetError.closed }
        buffer.append(contentsOf: bytes)
    }

    func close() async { await connection.close() }
}

extension String {
    fileprivate func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}

/// A started server on 127.0.0.1 port 0 with a few routes; stopped by `shutdown()`.
func startServer(_ configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws -> HTTPServer {
    var router = Router()
    router.add("/") { _ in .text("hello\n") }
    router.add("/echo", methods: ["GET", "POST"]) { request in
        .text("\(request.method) \(request.rawTarget) \(String(decoding: request.body, as: UTF8.self))")
    }
    router.add("/slow") { request in
        let millis = Int(request.queryValue("ms") ?? "200")!
        try? await Task.sleep(for: .milliseconds(millis))
        return .text("slept \(millis)")
    }
    router.add("/metrics") { request in
        HTTPResponse.text(String(repeating: "m 1\n", count: 500)).compressed(for: request)
    }
    var configuration = HTTPServerConfiguration(listenAddresses: ["127.0.0.1:0"])
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, router: router)
    try server.start()
    return server
}
