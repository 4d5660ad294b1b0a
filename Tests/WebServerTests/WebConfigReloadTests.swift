import Foundation
import NetIO
import Synchronization
import TestSupport
import Testing

@testable import WebServer

/// The web config followed as exporter-toolkit follows it: a rotated certificate or a changed
/// user list applies to the next connection, and a broken change keeps what worked.
@Suite(.enabled(if: Htpasswd.isAvailable, Comment(rawValue: Htpasswd.missing)), .timeLimit(.minutes(1)))
struct WebConfigReloadTests {
    static let tlsConfig = "tls_server_config:\n  cert_file: server.pem\n  key_file: server.key\n"

    /// Replaces `name` in `target` by `source`'s copy, atomically, as cert-manager's volume does.
    static func rotate(_ name: String, from source: WebConfigDirectory, to target: WebConfigDirectory) throws {
        let data = try Data(contentsOf: source.url(name))
        try data.write(to: target.url(name), options: .atomic)
    }

    @Test func rotatedCertificateServesTheNextConnection() async throws {
        let live = try await WebConfigDirectory.make()
        let next = try await WebConfigDirectory.make()
        defer { [live, next].forEach { $0.remove() } }
        let path = try live.writeConfig(Self.tlsConfig)
        let reloads = Atomic<Int>(0)
        let web = try WebConfigReloader(
            path: path, checkInterval: .zero, onReload: { _ in reloads.add(1, ordering: .relaxed) })
        let server = try startServer { $0.webConfig = web }
        try await withStarted(server, stop: { await $0.shutdown() }) { server in
            let port = server.ports[0]
            let oldCA = live.caPEM
            #expect(try await httpsGet(port: port, ca: oldCA) == 200)

            try Self.rotate("server.key", from: next, to: live)
            try Self.rotate("server.pem", from: next, to: live)
            #expect(try await httpsGet(port: port, ca: next.caPEM) == 200, "the new certificate is not served")
            #expect(await (try? httpsGet(port: port, ca: oldCA)) == nil, "the old certificate is still served")
            #expect(reloads.load(ordering: .relaxed) >= 1)
        }
    }

    @Test func brokenChangeKeepsThePreviousCertificateAndIsReportedOnce() async throws {
        let live = try await WebConfigDirectory.make()
        defer { live.remove() }
        let path = try live.writeConfig(Self.tlsConfig)
        let errors = Mutex<[String]>([])
        let web = try WebConfigReloader(
            path: path, checkInterval: .zero, onError: { error in errors.withLock { $0.append("\(error)") } })
        let server = try startServer { $0.webConfig = web }
        try await withStarted(server, stop: { await $0.shutdown() }) { server in
            try Data("-----BEGIN PRIVATE KEY-----\nhalf written".utf8).write(
                to: live.url("server.key"), options: .atomic)
            #expect(try await httpsGet(port: server.ports[0], ca: live.caPEM) == 200)
            #expect(try await httpsGet(port: server.ports[0], ca: live.caPEM) == 200)
            let reported = errors.withLock { $0 }
            #expect(reported.count == 1, "\(reported)")
            #expect(
                reported.first?.contains("key_file") == true || reported.first?.contains("tls_server_config") == true)
        }
    }

    @Test func changedUsersApplyToTheNextConnection() async throws {
        let live = try await WebConfigDirectory.make()
        defer { live.remove() }
        let first = try await Htpasswd.hash(user: "alice", password: "one")
        let path = try live.writeConfig("basic_auth_users:\n  alice: \(first)\n")
        let web = try WebConfigReloader(path: path, checkInterval: .zero)
        let server = try startServer { $0.webConfig = web }
        try await withStarted(server, stop: { await $0.shutdown() }) { server in
            let port = server.ports[0]
            #expect(try await plainGet(port: port, user: "alice", password: "one") == 200)
            #expect(try await plainGet(port: port, user: "bob", password: "two") == 401)

            let second = try await Htpasswd.hash(user: "bob", password: "two")
            _ = try live.writeConfig("basic_auth_users:\n  bob: \(second)\n")
            #expect(try await plainGet(port: port, user: "bob", password: "two") == 200)
            #expect(try await plainGet(port: port, user: "alice", password: "one") == 401)
        }
    }

    @Test func filesAreNotReadAgainWhileUnchanged() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("webreload-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("web.yml").path
        try "basic_auth_users: {}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let reloads = Atomic<Int>(0)
        let web = try WebConfigReloader(
            path: path, checkInterval: .zero, onReload: { _ in reloads.add(1, ordering: .relaxed) })
        for _ in 0..<5 { _ = web.current() }
        #expect(reloads.load(ordering: .relaxed) == 0)
        try "# edited\nbasic_auth_users: {}\n".write(toFile: path, atomically: true, encoding: .utf8)
        for _ in 0..<5 { _ = web.current() }
        #expect(reloads.load(ordering: .relaxed) == 1)
    }

    /// The status code of GET / over TLS trusting only `ca`; throws when the handshake fails.
    private func httpsGet(port: Int, ca: String) async throws -> Int {
        let tcp = try await TCPConnection.connect(host: "127.0.0.1", port: port, deadline: .after(Patience.deadline))
        let context = try TLSContext.client(caPEM: ca, trustSystemStore: false)
        let tls = try await TLSConnection.connect(
            over: tcp, context: context, serverName: "127.0.0.1", deadline: .after(Patience.deadline))
        return try await withStarted(tls, stop: { await $0.close() }) { tls in
            return try await statusOf(tls, authorization: nil)
        }
    }

    private func plainGet(port: Int, user: String, password: String) async throws -> Int {
        let tcp = try await TCPConnection.connect(host: "127.0.0.1", port: port, deadline: .after(Patience.deadline))
        return try await withStarted(tcp, stop: { await $0.close() }) { tcp in
            return try await statusOf(tcp, authorization: Data("\(user):\(password)".utf8).base64EncodedString())
        }
    }

    private func statusOf(_ stream: any ByteStream, authorization: String?) async throws -> Int {
        let header = authorization.map { "Authorization: Basic \($0)\r\n" } ?? ""
        let request = "GET / HTTP/1.1\r\nHost: x\r\n\(header)Connection: close\r\n\r\n"
        try await stream.write(Array(request.utf8), deadline: .after(Patience.deadline))
        var reply: [UInt8] = []
        while case let bytes = try await stream.read(maxBytes: 4096, deadline: .after(Patience.deadline)),
            !bytes.isEmpty
        {
            reply += bytes
        }
        let status = String(decoding: reply.prefix(12), as: UTF8.self).split(separator: " ").dropFirst().first
        return Int(status ?? "") ?? 0
    }
}
