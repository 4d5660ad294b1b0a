import AtStatus
import NetIO

/// One client session of a simulated atServer: prompt, then one reply per command line.
struct AtServerSession {
    let tls: TLSConnection
    let tcp: TCPConnection
    let atSign: AtSign
    let scenario: Scenario
    let conditions: LinkConditions
    let natDrops: NATDrops
    let uptimeMillis: @Sendable () -> Int

    private static let prompt = Array("@".utf8)
    private static let replyEnd = Array("\n@".utf8)

    /// Answers commands until `@exit`, end of stream or an error.
    func run() async throws {
        try await write(Self.prompt)
        var reader = CommandLineReader()
        var answered = false
        while true {
            guard let line = reader.nextLine() else {
                if reader.isOverLimit { return }
                guard
                    let bytes = try await readRequestBytes(
                        tls, maxBytes: 16 * 1024, idleDrop: answered ? conditions.idleDrop : nil, drops: natDrops)
                else {
                    return await drainSilently(tls)
                }
                if bytes.isEmpty { return }
                reader.append(bytes)
                continue
            }
            try await LinkConditions.wait(conditions.replyLatency)
            answered = true
            if case .slow(let delay) = scenario { try await Task.sleep(for: delay) }
            if scenario == .garbage || scenario == .garbageThenClose {
                let junk = AtServerReplies.garbage(count: 300, seed: UInt64(line.utf8.count) + 7)
                // garbageThenClose never ends its bytes as a reply; returning closes cleanly.
                try await write(scenario == .garbage ? junk + Self.replyEnd : junk)
                return
            }
            let action = AtServerReplies.action(
                for: line, atSign: atSign, scenario: scenario, uptimeMillis: uptimeMillis())
            switch action {
            case .close: return
            case .reply(let bytes): try await write(bytes + Self.replyEnd)
            case .huge:
                // A write that finds room never suspends: yield so 50 MB cannot hog a pool thread.
                for chunk in AtServerReplies.hugeChunks(atSign: atSign) {
                    try await write(chunk)
                    await Task.yield()
                }
                try await write(Self.replyEnd)
            case .reset(let bytes): try await write(bytes)
            }
        }
    }

    /// The `reset` scenario: sends the prompt, waits for the first command, sends part of a
    /// reply, then aborts the socket so the kernel sends a TCP reset instead of a FIN and the
    /// client sees ECONNRESET mid-reply. The TLS object is never used again (no close_notify).
    func resetMidReply() async {
        do {
            try await write(Self.prompt)
            _ = try await tcp.read(maxBytes: 1, deadline: .after(simulatorWriteTimeout))
            if case .reset(let partial) = AtServerReplies.action(
                for: "scan", atSign: atSign, scenario: .reset, uptimeMillis: 0)
            {
                try await write(partial)
            }
        } catch {}
        tcp.abort()
    }

    private func write(_ bytes: [UInt8]) async throws {
        try await tls.write(bytes, deadline: .after(simulatorWriteTimeout))
    }
}
