import Basics
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
    static let goodbyeLimit = Duration.milliseconds(200)

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
            check.status = ServerStatus(failure: error)
            check.failure = ProbeFailure(
                reason: FailureReason(error), phase: .serverConnect, message: "\(location): \(error)")
            return check
        case .failure(.tls(let error, let notAfter)):
            check.status = ServerStatus(failure: error)
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
            check.status = .answeredWrongly
            check.failure = ProbeFailure(reason: error.reason, phase: .serverCheck, message: "\(location): \(error)")
        } catch {
            let netError = error as? NetError ?? .reset
            check.status = ServerStatus(failure: netError)
            check.failure = ProbeFailure(
                reason: FailureReason(netError), phase: .serverCheck, message: "\(location): \(netError)")
        }
        check.phaseSeconds[.serverCheck] = Deadline.now.seconds(since: start)
        // The goodbye is bounded by the probe's deadline (never late) and by a short limit of its
        // own (an answered probe is not held up by a peer that stopped reading).
        await connection.exit(deadline: min(deadline, .after(Self.goodbyeLimit)))
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
            check.status = ServerStatus(listed: false, valueIsNull: true)
            return
        }
        let lookup = try ServerReply(
            try await connection.request("lookup:\(keyName)", deadline: deadline), command: "lookup")
        check.status = ServerStatus(listed: true, valueIsNull: lookup.payload == "null")
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
///
/// Kept as the bytes received: a `scan` of a busy atServer is megabytes, and every String or
/// Data made of the whole reply was another copy (64 concurrent 6.7 MB scans peaked at 364 MB).
package struct ServerReply {
    private let bytes: [UInt8]
    private static let dataPrefix = Array("data:".utf8)

    /// What follows `data:`.
    package var payload: String { String(decoding: bytes[Self.dataPrefix.count...], as: UTF8.self) }

    package init(_ bytes: [UInt8], command: String) throws {
        guard Self.isValidUTF8(bytes) else {
            throw ServerReplyError(reason: .protocol, text: "reply to \(command) is not valid UTF-8")
        }
        if bytes.starts(with: Self.dataPrefix) {
            self.bytes = bytes
        } else if bytes.starts(with: "error:".utf8) {
            throw ServerReplyError(
                reason: .errorReply, text: "\(command) answered \(Self.text(bytes[...], limit: 200))")
        } else {
            throw ServerReplyError.unexpected(command: command, reply: Self.text(bytes[...], limit: 120).debugEscaped)
        }
    }

    /// The JSON array of key names a `scan` returns, parsed from the received bytes in place.
    package func keyNames() throws -> [String] {
        let start = Self.dataPrefix.count
        let names = bytes.withUnsafeBufferPointer { buffer in
            let data = Data(
                bytesNoCopy: UnsafeMutableRawPointer(mutating: buffer.baseAddress! + start),
                count: buffer.count - start, deallocator: .none)
            return try? JSONSerialization.jsonObject(with: data) as? [Any]
        }
        guard let names else {
            throw ServerReplyError(
                reason: .protocol, text: "scan reply is not a JSON array: \(Self.text(bytes[start...], limit: 80))")
        }
        return names.compactMap { $0 as? String }
    }

    /// The first `limit` characters, decoded from no more bytes than they can take.
    private static func text(_ bytes: ArraySlice<UInt8>, limit: Int) -> String {
        String(String(decoding: bytes.prefix(limit * 4), as: UTF8.self).prefix(limit))
    }

    /// Validates without decoding into a String: ASCII (a scan's key names) is checked in one
    /// pass, anything else scalar by scalar.
    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        if bytes.allSatisfy({ $0 < 0x80 }) { return true }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
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
