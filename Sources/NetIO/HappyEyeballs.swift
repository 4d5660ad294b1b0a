/// What one connection attempt, or the stagger timer, reported to `connect(toAny:)`.
private enum AttemptEvent: Sendable {
    case connected(TCPConnection)
    case failed(NetError)
    /// The attempt delay after attempt `index` started has passed.
    case delayElapsed(index: Int)
}

extension TCPConnection {
    /// RFC 8305's recommended Connection Attempt Delay.
    public static let attemptDelay: Duration = .milliseconds(250)

    /// Connects to the first of `addresses` that answers, RFC 8305 style: attempts start in
    /// order, each `attemptDelay` after the previous one (or at once when it fails), run side by
    /// side until the deadline, and the first to connect wins; the others are cancelled, their
    /// sockets closed. A blackholed first address then costs `attemptDelay`, not the whole probe.
    /// When all fail, the error of the last to fail is thrown.
    public static func connect(
        toAny addresses: [SocketAddress], deadline: Deadline, attemptDelay: Duration = attemptDelay
    ) async throws -> TCPConnection {
        guard !addresses.isEmpty else { throw NetError.dns(host: "", message: "no addresses to connect to") }
        // One address (a numeric host, the common case) needs no race and no child task.
        if addresses.count == 1 { return try await connect(to: addresses[0], deadline: deadline) }
        let outcome = await withTaskGroup(of: AttemptEvent.self) { group -> Result<TCPConnection, NetError> in
            var started = 0
            var running = 0
            var lastError = NetError.timeout(operation: "connect")
            func startNext() {
                let index = started
                let address = addresses[index]
                started += 1
                running += 1
                group.addTask {
                    do {
                        return .connected(try await connect(to: address, deadline: deadline))
                    } catch {
                        return .failed(error as? NetError ?? .system(operation: "connect to \\(address)", errno: 0))
                    }
                }
                guard started < addresses.count else { return }
                group.addTask {
                    try? await Task.sleep(for: attemptDelay)
                    return .delayElapsed(index: index)
                }
            }
            startNext()
            while let event = await group.next() {
                switch event {
                case .connected(let winner):
                    group.cancelAll()
                    // An attempt that connected at the same moment loses too.
                    for await late in group { if case .connected(let loser) = late { loser.closeNow() } }
                    return .success(winner)
                case .failed(let error):
                    running -= 1
                    lastError = error
                    if started < addresses.count {
                        startNext()
                    } else if running == 0 {
                        group.cancelAll()
                        return .failure(lastError)
                    }
                case .delayElapsed(let index):
                    if index == started - 1 && started < addresses.count { startNext() }
                }
            }
            return .failure(lastError)
        }
        return try outcome.get()
    }
}
