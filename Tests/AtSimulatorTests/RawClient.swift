import AtSimulator
import AtStatus
import NetIO
import TestSupport

/// A test client that speaks raw bytes over TLS, so tests see exactly what the simulator sends.
final class RawClient: @unchecked Sendable {
    let tls: TLSConnection
    private var buffer: [UInt8] = []

    private init(tls: TLSConnection) { self.tls = tls }

    static func connect(to address: String, caPEM: String, serverName: String = "127.0.0.1") async throws -> RawClient {
        let colon = address.lastIndex(of: ":")!
        let port = Int(address[address.index(after: colon)...])!
        let deadline = Deadline.after(Patience.deadline)
        let tcp = try await TCPConnection.connect(host: "127.0.0.1", port: port, deadline: deadline)
        let context = try TLSContext.client(caPEM: caPEM, trustSystemStore: false)
        return RawClient(
            tls: try await TLSConnection.connect(
                over: tcp, context: context, serverName: serverName, deadline: deadline))
    }

    func send(_ text: String) async throws {
        try await tls.write(Array(text.utf8), deadline: .after(Patience.deadline))
    }

    /// Reads until the received bytes end with `suffix`; returns them all and clears the buffer.
    func read(until suffix: String, timeout: Duration = Patience.deadline) async throws -> String {
        try await readBytes(until: Array(suffix.utf8), timeout: timeout).text
    }

    func readBytes(until suffix: [UInt8], timeout: Duration = Patience.deadline) async throws -> [UInt8] {
        let deadline = Deadline.after(timeout)
        while !buffer.ends(with: suffix) {
            let bytes = try await tls.read(maxBytes: 64 * 1024, deadline: deadline)
            if bytes.isEmpty { throw NetError.closed }
            buffer += bytes
        }
        defer { buffer.removeAll() }
        return buffer
    }

    enum End: Equatable {
        case closed
        case reset
        case timeout
        case other(String)
    }

    /// Reads until the stream ends; returns what came and how it ended.
    func readToEnd(timeout: Duration = Patience.deadline, limit: Int = .max) async -> (bytes: [UInt8], end: End) {
        let deadline = Deadline.after(timeout)
        do {
            while buffer.count < limit {
                let bytes = try await tls.read(maxBytes: 64 * 1024, deadline: deadline)
                if bytes.isEmpty { return (buffer, .closed) }
                buffer += bytes
            }
            return (buffer, .other("limit reached"))
        } catch NetError.reset {
            return (buffer, .reset)
        } catch NetError.timeout {
            return (buffer, .timeout)
        } catch {
            return (buffer, .other("\(error)"))
        }
    }

    func close() async { await tls.close() }
}

extension Array where Element == UInt8 {
    var text: String { String(decoding: self, as: UTF8.self) }

    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}

/// The port of a `host:port` text.
func port(of address: String) -> Int {
    Int(address[address.index(after: address.lastIndex(of: ":")!)...])!
}

func atSign(_ name: String) -> AtSign { try! AtSign(name) }
