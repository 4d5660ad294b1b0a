import Foundation
import NetIO

/// What one atServer check learned.
public struct ServerCheck: Sendable {
    public var status: ServerStatus
    public var failure: ProbeFailure?
    public var phaseSeconds: [ProbePhase: Double] = [:]
    public var certificateNotAfter: Double?
    public var tlsVersion: String?
    public var version: String?
    public var uptimeSeconds: Double?
}

/// Checks one atServer over one fresh TLS connection (PROTOCOL.md §3): `scan`, then
/// `lookup:publickey@<atsign>`, optionally `info:brief`, then `@exit`.
public struct AtServerClient: Sendable {
    let connector: TimedConnector
    public var askInfo: Bool

    public init(context: TLSContext, askInfo: Bool = true) {
        connector = TimedConnector(context: context)
        self.askInfo = askInfo
    }

    public func check(_ atSign: AtSign, at location: ServerAddress, viaProxy: Bool, deadline: Deadline) async
        -> ServerCheck
    {
        var check = ServerCheck(status: .unavailable)
        let connection: ProtocolConnection
        switch await connector.open(location, deadline: deadline) {
        case .failure(.connect(let error)):
            check.status = error.isRefusal ? .stopped : .unavailable
            check.failure = ProbeFailure(
                reason: FailureReason(error), phase: .serverConnect, message: "\(location): \(error)")
            return check
        case .failure(.tls(let error, let notAfter)):
            check.certificateNotAfter = notAfter
            check.failure = ProbeFailure(
                reason: FailureReason(error), phase: .serverTLS, message: "\(location): \(error)")
            return check
        case .success(let connected):
            connection = connected.connection
            check.phaseSeconds[.serverConnect] = connected.connectSeconds
            check.phaseSeconds[.serverTLS] = connected.tlsSeconds
            check.certificateNotAfter = connection.stream.peerCertificateNotAfter
            check.tlsVersion = connection.stream.protocolVersion
        }
        let start = Deadline.now
        do {
            try await converse(atSign, connection: connection, viaProxy: viaProxy, deadline: deadline, into: &check)
        } catch let error as ServerReplyError {
            check.status = .error
            check.failure = ProbeFailure(reason: error.reason, phase: .serverCheck, message: "\(location): \(error)")
        } catch {
            let netError = error as? NetError ?? .reset
            check.status = netError.isProtocolFault ? .error : .unavailable
            check.failure = ProbeFailure(
                reason: FailureReason(netError), phase: .serverCheck, message: "\(location): \(netError)")
        }
        check.phaseSeconds[.serverCheck] = Deadline.now.seconds(since: start)
        await connection.exit()
        return check
    }

    private func converse(
        _ atSign: AtSign, connection: ProtocolConnection, viaProxy: Bool, deadline: Deadline,
        into check: inout ServerCheck
    ) async throws {
        if case .text(let text) = try await connection.readPrompt(deadline: deadline) {
            throw ServerReplyError.unexpected(command: "prompt", reply: text)
        }
        if viaProxy {
            _ = try ServerReply(try await connection.request("from:\(atSign)", deadline: deadline), command: "from")
        }
        let scan = try ServerReply(try await connection.request("scan", deadline: deadline), command: "scan")
        let keyName = "publickey\(atSign.name)"
        guard try scan.keyNames().contains(where: { $0.lowercased() == keyName }) else {
            check.status = .teapot
            return
        }
        let lookup = try ServerReply(
            try await connection.request("lookup:\(keyName)", deadline: deadline), command: "lookup")
        check.status = lookup.payload == "null" ? .ready : .activated
        if askInfo, let info = try? await connection.request("info:brief", deadline: deadline) {
            // info:brief only feeds the version and uptime metrics; its failure never changes the status.
            (check.version, check.uptimeSeconds) = ServerReply.parseInfo(info)
        }
    }
}

/// A reply that breaks the atServer's rules: `error:` or something that is not `data:`.
struct ServerReplyError: Error, CustomStringConvertible {
    let reason: FailureReason
    let text: String

    static func unexpected(command: String, reply: String) -> ServerReplyError {
        ServerReplyError(reason: .protocol, text: "unexpected reply to \(command): \"\(reply)\"")
    }

    var description: String { text }
}

/// One `data:` reply, decoded. `package` so the FuzzServerReply target can reach it.
package struct ServerReply {
    package let payload: String

    package init(_ bytes: [UInt8], command: String) throws {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ServerReplyError(reason: .protocol, text: "reply to \(command) is not valid UTF-8")
        }
        if text.hasPrefix("data:") {
            payload = String(text.dropFirst(5))
        } else if text.hasPrefix("error:") {
            throw ServerReplyError(reason: .errorReply, text: "\(command) answered \(String(text.prefix(200)))")
        } else {
            throw ServerReplyError.unexpected(command: command, reply: String(text.prefix(120)).debugEscaped)
        }
    }

    /// The JSON array of key names a `scan` returns.
    package func keyNames() throws -> [String] {
        guard let names = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [Any] else {
            throw ServerReplyError(reason: .protocol, text: "scan reply is not a JSON array: \(payload.prefix(80))")
        }
        return names.compactMap { $0 as? String }
    }

    /// `data:{"version":"3.0.52","uptimeAsMillis":123456}` → version and uptime in seconds.
    package static func parseInfo(_ bytes: [UInt8]) -> (String?, Double?) {
        guard let reply = try? ServerReply(bytes, command: "info"),
            let object = try? JSONSerialization.jsonObject(with: Data(reply.payload.utf8)) as? [String: Any]
        else { return (nil, nil) }
        let version = object["version"] as? String
        let uptime = (object["uptimeAsMillis"] as? NSNumber).map { $0.doubleValue / 1000 }
        return (version, uptime)
    }
}
