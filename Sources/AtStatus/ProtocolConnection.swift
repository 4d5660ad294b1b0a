import NetIO

/// One TLS connection speaking the atProtocol's line-and-prompt framing.
/// Used by one task at a time: the root pool hands it out exclusively.
final class ProtocolConnection: @unchecked Sendable {
    let stream: TLSConnection
    private var framer: ReplyFramer
    private static let readSize = 64 * 1024

    init(stream: TLSConnection, limit: Int = ReplyFramer.defaultLimit) {
        self.stream = stream
        framer = ReplyFramer(limit: limit)
    }

    enum Prompt {
        case ready
        /// A line of text where the `@` prompt should be: a stopping root says why this way.
        case text(String)
    }

    /// Waits for the bare `@` a server sends once the session opens.
    func readPrompt(deadline: Deadline) async throws -> Prompt {
        while true {
            switch framer.consumePrompt() {
            case true?: return .ready
            case false?: return .text(try await readLineOrEnd(deadline: deadline))
            case nil: try await fill(deadline: deadline)
            }
        }
    }

    /// Sends one line and returns the reply before the next prompt. Never pipelines: the root
    /// would read two lines written together as one key.
    func request(_ line: String, deadline: Deadline) async throws -> [UInt8] {
        try await stream.write(Array((line + "\n").utf8), deadline: deadline)
        return try await readReply(deadline: deadline)
    }

    func readReply(deadline: Deadline) async throws -> [UInt8] {
        while true {
            do {
                if let reply = try framer.nextReply() { return reply }
            } catch .tooLarge(let limit) {
                throw NetError.tooLarge(limit: limit)
            }
            try await fill(deadline: deadline)
        }
    }

    /// Reads more bytes; the end of the stream throws what it means for the bytes buffered so far.
    private func fill(deadline: Deadline) async throws {
        let bytes = try await stream.read(maxBytes: Self.readSize, deadline: deadline)
        guard !bytes.isEmpty else { throw framer.endOfStreamError }
        framer.append(bytes)
        // A multi-megabyte reply that is already buffered never suspends the read: share the
        // threads. Only a full record says more may be waiting; a short reply needs no extra hop.
        if bytes.count >= TLSConnection.recordPlaintextLimit { await Task.yield() }
    }

    /// The text sent instead of a prompt: up to a newline or the end of the stream.
    private func readLineOrEnd(deadline: Deadline) async throws -> String {
        while !framer.hasNewline && framer.bufferedCount < 300 {
            guard let bytes = try? await stream.read(maxBytes: 512, deadline: deadline), !bytes.isEmpty else { break }
            framer.append(bytes)
        }
        return framer.pendingText(maxBytes: 300)
    }

    /// Says goodbye politely, all within `deadline`: a probe passes its own, so the goodbye never
    /// makes it late (a past deadline still sends `@exit` and close_notify when the socket has
    /// room, it only never waits). `@exit`, close_notify and the FIN leave in one segment.
    /// Errors here never matter to the status.
    func exit(deadline: Deadline = .after(.milliseconds(200))) async {
        stream.coalesceUntilClose()
        try? await stream.write(Array("@exit\n".utf8), deadline: deadline)
        await stream.close(deadline: deadline)
    }
}

/// Opens a TLS session to `address`, timing TCP connect and TLS handshake separately.
struct TimedConnector: Sendable {
    let context: TLSContext
    /// Set on the socket before the handshake, for connections that stay open while idle.
    var keepAlive: TCPKeepAlive? = nil

    struct Connected {
        let connection: ProtocolConnection
        let connectSeconds: Double
        let tlsSeconds: Double
    }

    enum Failure: Error {
        case connect(NetError)
        /// The presented certificate's notAfter is known even when it was refused.
        case tls(NetError, certificateNotAfter: Double?)
    }

    func open(_ address: ServerAddress, session: TLSSession? = nil, deadline: Deadline) async -> Result<
        Connected, Failure
    > {
        let start = Deadline.now
        let tcp: TCPConnection
        do {
            tcp = try await TCPConnection.connect(host: address.host, port: address.port, deadline: deadline)
            if let keepAlive { try tcp.enableKeepAlive(keepAlive) }
        } catch {
            return .failure(.connect(error as? NetError ?? .system(operation: "connect", errno: 0)))
        }
        let connected = Deadline.now
        let presented = PresentedCertificate()
        do {
            let tls = try await TLSConnection.connect(
                over: tcp, context: context, serverName: address.host, session: session, presented: presented,
                deadline: deadline)
            return .success(
                Connected(
                    connection: ProtocolConnection(stream: tls), connectSeconds: connected.seconds(since: start),
                    tlsSeconds: Deadline.now.seconds(since: connected)))
        } catch {
            await tcp.close()
            let netError = error as? NetError ?? .tlsHandshake("\(error)")
            return .failure(.tls(netError, certificateNotAfter: presented.notAfter))
        }
    }
}
