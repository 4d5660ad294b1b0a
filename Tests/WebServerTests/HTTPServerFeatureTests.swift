import Foundation
import NetIO
import Synchronization
import TestSupport
import Testing

@testable import WebServer

/// Listen addresses, IPv6, basic auth, the access log and TLS, end to end on loopback.
@Suite(.timeLimit(.minutes(1))) struct HTTPServerFeatureTests {
    @Test(arguments: [
        (":9713", ListenAddress(host: "", port: 9713)),
        ("127.0.0.1:0", ListenAddress(host: "127.0.0.1", port: 0)),
        ("[::1]:8080", ListenAddress(host: "::1", port: 8080)),
        ("localhost:65535", ListenAddress(host: "localhost", port: 65535)),
    ])
    func parsesListenAddresses(text: String, expected: ListenAddress) throws {
        #expect(try ListenAddress(parsing: text) == expected)
    }

    @Test(arguments: [
        ("9713", "invalid listen address \"9713\": missing \":port\""),
        ("::1:80", "invalid listen address \"::1:80\": an IPv6 host needs brackets, e.g. [::1]:9713"),
        ("[::1:80", "invalid listen address \"[::1:80\": \"[\" without a closing \"]\""),
        ("host:http", "invalid listen address \"host:http\": the port \"http\" is not a number"),
        ("host:70000", "invalid listen address \"host:70000\": port 70000 is out of range 0-65535"),
    ])
    func refusesBadListenAddresses(text: String, message: String) {
        #expect(throws: HTTPServerError.self) { try ListenAddress(parsing: text) }
        do {
            _ = try ListenAddress(parsing: text)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func listensOnIPv4AndIPv6AtOnce() async throws {
        let server = try startServer { $0.listenAddresses = ["127.0.0.1:0", "[::1]:0"] }
        #expect(server.ports.count == 2)
        for (host, port) in zip(["127.0.0.1", "::1"], server.ports) {
            let connection = try await TCPConnection.connect(
                host: host, port: port, deadline: .after(Patience.deadline))
            try await connection.write(
                Array("GET / HTTP/1.1\r\nConnection: close\r\n\r\n".utf8), deadline: .after(Patience.deadline))
            let reply = try await connection.read(maxBytes: 4096, deadline: .after(Patience.deadline))
            #expect(String(decoding: reply, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK\r\n"), "via \(host)")
            await connection.close()
        }
        await server.shutdown()
    }

    @Test func startFailsWhenAnAddressIsTaken() throws {
        let first = try startServer()
        let taken = "127.0.0.1:\(first.ports[0])"
        let second = HTTPServer(
            configuration: HTTPServerConfiguration(listenAddresses: ["127.0.0.1:0", taken]), router: Router())
        #expect(throws: HTTPServerError.self) { try second.start() }
        #expect(throws: HTTPServerError.alreadyStarted) { try first.start() }
    }

    @Test func basicAuthGuardsEveryPathAndTheLogSeesEachAnswer() async throws {
        let entries = Mutex<[AccessLogEntry]>([])
        let server = try startServer {
            $0.authenticate = { user, password in user == "alice" && password == "secret" }
            $0.accessLog = { entry in entries.withLock { $0.append(entry) } }
        }
        let client = try await WireClient(port: server.ports[0])
        try await client.send("GET / HTTP/1.1\r\nUser-Agent: test/1\r\n\r\n")
        let refused = try await client.response()
        #expect(refused.status == 401)
        #expect(refused.headers["WWW-Authenticate"]?.hasPrefix("Basic realm=") == true)
        try await client.send("HEAD /?a=1 HTTP/1.1\r\nAuthorization: Basic YWxpY2U6c2VjcmV0\r\n\r\n")
        #expect(try await client.response(head: true).status == 200)
        try await client.send("\u{1}\r\n\r\n")
        #expect(try await client.response().status == 400)
        // The server logs an answer once it is written, so the client may read it first.
        try await eventually { entries.withLock { $0.count } >= 3 }
        let logged = entries.withLock { $0 }
        #expect(logged.map(\.status) == [401, 200, 400])
        #expect(logged.map(\.method) == ["GET", "HEAD", ""])
        #expect(logged[0].userAgent == "test/1")
        #expect(logged[1].target == "/?a=1")
        #expect(logged[1].bodyBytes == 0)
        #expect(logged[0].remoteAddress.hasPrefix("127.0.0.1:"))
        await client.close()
        await server.shutdown()
    }

    @Test func servesHTTPS() async throws {
        let certificate = try await SelfSignedCertificate.make()
        let server = try startServer {
            $0.tls = try? TLSContext.server(certificatePEM: certificate.pem, privateKeyPEM: certificate.keyPEM)
        }
        #expect(server.configuration.tls != nil)
        let tcp = try await TCPConnection.connect(
            host: "127.0.0.1", port: server.ports[0], deadline: .after(Patience.deadline))
        let context = try TLSContext.client(caPEM: certificate.caPEM, trustSystemStore: false)
        let tls = try await TLSConnection.connect(
            over: tcp, context: context, serverName: "127.0.0.1", deadline: .after(Patience.deadline))
        try await tls.write(
            Array("GET / HTTP/1.1\r\nConnection: close\r\n\r\n".utf8), deadline: .after(Patience.deadline))
        var reply: [UInt8] = []
        while let bytes = try? await tls.read(maxBytes: 4096, deadline: .after(Patience.deadline)), !bytes.isEmpty {
            reply += bytes
        }
        let text = String(decoding: reply, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(text.hasSuffix("\r\n\r\nhello\n"))
        await tls.close()
        await server.shutdown()
    }
}

/// A throwaway certificate for 127.0.0.1 and the CA that signed it.
struct SelfSignedCertificate {
    let caPEM: String
    let pem: String
    let keyPEM: String

    static func make() async throws -> SelfSignedCertificate {
        try await TestCertificates.with(leaves: [.init("web", subjectAltName: "IP:127.0.0.1")]) { files in
            SelfSignedCertificate(
                caPEM: try files.text("ca.pem"), pem: try files.text("web.pem"), keyPEM: try files.text("web.key"))
        }
    }
}
