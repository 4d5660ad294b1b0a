import AtStatus
import Foundation
import NetIO
import Synchronization

/// Counts what clients did to the root; the pooling test checks that many lookups share few
/// handshakes.
public final class RootCounters: Sendable {
    private let handshakeCount = Atomic<Int>(0)
    private let lookupCount = Atomic<Int>(0)
    private let openCount = Atomic<Int>(0)
    private let peakOpenCount = Atomic<Int>(0)
    private let delayedMissCount = Atomic<Int>(0)

    /// TLS handshakes the root completed.
    public var handshakes: Int { handshakeCount.load(ordering: .relaxed) }
    /// Keys the root answered (or delayed), `@exit` excluded.
    public var lookups: Int { lookupCount.load(ordering: .relaxed) }

    /// Client connections the root holds open now: pooled, busy or silently dropped ones.
    public var openConnections: Int { openCount.load(ordering: .relaxed) }
    /// The most client connections the root held open at once: how far a client's pool grew.
    public var peakOpenConnections: Int { peakOpenCount.load(ordering: .relaxed) }
    /// Misses the root held back by its rate-limit delay (the 2nd and later on one connection):
    /// an event to count, so tests need not time the delay.
    public var delayedMisses: Int { delayedMissCount.load(ordering: .relaxed) }

    func countHandshake() { handshakeCount.add(1, ordering: .relaxed) }
    func countOpen(_ delta: Int) {
        let now = openCount.add(delta, ordering: .relaxed).newValue
        peakOpenCount.max(now, ordering: .relaxed)
    }
    func countDelayedMiss() { delayedMissCount.add(1, ordering: .relaxed) }
    func countLookup() { lookupCount.add(1, ordering: .relaxed) }
}

/// A simulated atRoot on its own TLS listener, answering from the `directory` closure.
///
/// The port stays the same for its life, even across `down` and back, so clients keep one
/// root address; every mode change drops the open connections, as a restart would.
final class SimulatedRoot: Sendable {
    let host: String
    let port: Int
    let counters = RootCounters()
    private let context: TLSContext
    private let rateLimitDelay: Duration
    private let conditions: LinkConditions
    private let natDrops: NATDrops
    private let directory: @Sendable (AtSign) -> String?
    private let tracker = ConnectionTracker()
    private let state: Mutex<(mode: RootMode, listener: TCPListener?, hold: PortHold?)>
    private let address: SocketAddress
    private let stall = RootStall()

    /// What a stopping root sends instead of its prompt.
    static let stoppingText = "Server stop in progress\r\n"
    /// What a root in `badGreeting` mode sends instead of its prompt.
    static let badGreetingText = "Welcome to the atRoot\r\n"
    /// What a garbage root answers to every key.
    static let garbageReply = "this is not an address\r\n@"

    init(
        host: String, port: Int, mode: RootMode, context: TLSContext, rateLimitDelay: Duration,
        conditions: LinkConditions = .loopback, natDrops: NATDrops = NATDrops(),
        directory: @escaping @Sendable (AtSign) -> String?
    ) throws {
        let listener = try TCPListener(host: host, port: port)
        self.host = host
        self.port = listener.port
        self.context = context
        self.rateLimitDelay = rateLimitDelay
        self.conditions = conditions
        self.natDrops = natDrops
        self.directory = directory
        address = listener.address
        state = Mutex((mode, listener, nil))
        if mode == .down {
            listener.close()
            let hold = try PortHold(address)
            state.withLock { $0 = (mode, nil, hold) }
        } else {
            runAcceptLoop(listener, tracker: tracker) { [self] connection in await serve(connection) }
        }
    }

    var mode: RootMode { state.withLock { $0.mode } }

    /// Switches the mode: `down` closes the listener (connects are refused), any other mode
    /// listens again on the same port. Open connections are dropped either way.
    func setMode(_ mode: RootMode) async throws {
        let listening = state.withLock { $0.listener != nil }
        let fresh = mode != .down && !listening ? try TCPListener(host: host, port: port) : nil
        let retired = state.withLock { current -> TCPListener? in
            current.mode = mode
            if mode == .down {
                defer { current.listener = nil }
                return current.listener
            }
            if let fresh { (current.listener, current.hold) = (fresh, nil) }
            return nil
        }
        if let retired {
            retired.close()
            let hold = try PortHold(address)
            state.withLock { $0.hold = hold }
        }
        tracker.cancelAll()
        if let fresh {
            runAcceptLoop(fresh, tracker: tracker) { [self] connection in await serve(connection) }
        }
    }

    /// From now until `duration` has passed the root answers nothing: handshakes complete, but
    /// prompts and replies wait for the stall to end (a client with a shorter deadline times out).
    func stall(for duration: Duration) { stall.silence(until: .after(duration)) }

    /// The next `count` lookups are never answered: the root reads the key, then stays silent on
    /// that connection (keeping it open) until the client goes away.
    func stall(lookups count: Int) { stall.swallow(count) }

    func shutdown() async {
        let listener = state.withLock { current in
            defer { (current.listener, current.hold) = (nil, nil) }
            return current.listener
        }
        listener?.close()
        tracker.cancelAll()
    }

    private func serve(_ tcp: TCPConnection) async {
        let mode = self.mode
        guard mode != .down else {
            tcp.closeNow()
            return
        }
        do { try await LinkConditions.wait(conditions.handshakeLatency) } catch { return }
        guard let tls = await acceptTLS(tcp, context: context) else { return }
        counters.countHandshake()
        counters.countOpen(1)
        defer { counters.countOpen(-1) }
        switch mode {
        case .hung: await drainSilently(tls)
        case .stopping, .badGreeting:
            let text = mode == .stopping ? Self.stoppingText : Self.badGreetingText
            try? await tls.write(Array(text.utf8), deadline: .after(simulatorWriteTimeout))
            await tls.close()
        case .normal, .garbage, .down:
            try? await answerLookups(tls, garbage: mode == .garbage)
            await tls.close()
        }
    }

    /// The lookup loop: prompt, then one answer per key, with the rate limit on misses.
    private func answerLookups(_ tls: TLSConnection, garbage: Bool) async throws {
        try await send("@", on: tls)
        var reader = RootLineReader()
        var misses = 0
        var answered = false
        while true {
            switch reader.next() {
            case .tooLong: return
            case .needMore:
                guard
                    let bytes = try await readRequestBytes(
                        tls, maxBytes: 4096, idleDrop: answered ? conditions.idleDrop : nil, drops: natDrops)
                else {
                    return await drainSilently(tls)
                }
                if bytes.isEmpty { return }
                reader.append(bytes)
            case .key(let key):
                // A mode change cancels this task to drop the connection; a key that arrived
                // before the task got to run again must not be answered by the old root.
                if key == "@exit" || Task.isCancelled { return }
                counters.countLookup()
                answered = true
                if stall.takeSwallowed() { return await drainSilently(tls) }
                try await LinkConditions.wait(conditions.replyLatency)
                if garbage {
                    try await send(Self.garbageReply, on: tls)
                } else if let address = (try? AtSign(key)).flatMap(directory) {
                    try await send("\(address)\r\n@", on: tls)
                } else {
                    misses += 1
                    if misses >= 2 {
                        counters.countDelayedMiss()
                        try await Task.sleep(for: rateLimitDelay)
                    }
                    if misses >= 3 { return }
                    try await send("null\r\n@", on: tls)
                }
            }
        }
    }

    private func send(_ text: String, on tls: TLSConnection) async throws {
        try await stall.waitOut()
        try await tls.write(Array(text.utf8), deadline: .after(simulatorWriteTimeout))
    }
}

/// A root's stalls: a silent period, and a count of lookups to leave unanswered.
final class RootStall: Sendable {
    private let state = Mutex<(silentUntil: Deadline, swallow: Int)>((Deadline(nanoseconds: 0), 0))

    func silence(until end: Deadline) { state.withLock { $0.silentUntil = end } }

    func swallow(_ count: Int) { state.withLock { $0.swallow += count } }

    /// Takes one lookup to leave unanswered, if any are left.
    func takeSwallowed() -> Bool {
        state.withLock { current in
            guard current.swallow > 0 else { return false }
            current.swallow -= 1
            return true
        }
    }

    /// Returns once no silent period is running (a new one may start while it waits). It looks
    /// again every 20 ms, so a silence that is shortened (`stall(for: .zero)`) ends at once.
    func waitOut() async throws {
        while true {
            let end = state.withLock { $0.silentUntil }
            guard !end.hasPassed else { return }
            try await Task.sleep(for: min(end.remaining, .milliseconds(20)))
        }
    }
}
