import NetIO

extension RootDirectory {
    enum OpenOutcome {
        case opened(ProtocolConnection)
        case failed(RootLookup)
    }

    /// A new session: TCP, TLS (resuming the root's ticket while its chain is young enough) and
    /// the root's `@` prompt, each timed into `phases`.
    func open(deadline: Deadline, phases: inout [ProbePhase: Double]) async -> OpenOutcome {
        let offered = ticket.offer(now: clock(), maxAge: settings.fullHandshakeEvery)
        let started = clock()
        switch await connector.open(address, session: offered?.session, deadline: deadline) {
        case .failure(.connect(let error)):
            return .failed(
                failed(RootStatus(failure: error), FailureReason(error), .rootConnect, "root \(address): \(error)"))
        case .failure(.tls(let error, let notAfter)):
            if let notAfter { certificateNotAfter.withLock { $0 = notAfter } }
            return .failed(
                failed(RootStatus(failure: error), FailureReason(error), .rootTLS, "root \(address): \(error)"))
        case .success(let connected):
            let stream = connected.connection.stream
            handshakeCount.add(1, ordering: .relaxed)
            if stream.sessionReused { resumedCount.add(1, ordering: .relaxed) }
            phases[.rootConnect] = connected.connectSeconds
            phases[.rootTLS] = connected.tlsSeconds
            if let notAfter = stream.peerCertificateNotAfter { certificateNotAfter.withLock { $0 = notAfter } }
            if let refusal = await readGreeting(connected.connection, deadline: deadline) { return .failed(refusal) }
            // A resumed session's ticket continues its chain; a full handshake starts a new one.
            let verifiedAt = stream.sessionReused ? offered?.verifiedAt ?? started : started
            if let fresh = stream.resumableSession() { ticket.store(fresh, verifiedAt: verifiedAt) }
            return .opened(connected.connection)
        }
    }

    /// The root's `@` prompt; anything else closes the session and is the lookup's result:
    /// the stop text is `stopped`, any other greeting `error` (PROTOCOL.md §4).
    private func readGreeting(_ connection: ProtocolConnection, deadline: Deadline) async -> RootLookup? {
        do {
            guard case .text(let text) = try await connection.readPrompt(deadline: deadline) else { return nil }
            await connection.stream.close(deadline: deadline)
            let status = RootStatus(greeting: text)
            let message =
                status == .stopped
                ? "root \(address) is stopping: \(text.debugEscaped)"
                : "root \(address) greeted with \"\(text.debugEscaped)\", not @"
            return failed(status, .protocol, .rootLookup, message)
        } catch {
            await connection.stream.close(deadline: deadline)
            let netError = error as? NetError ?? .reset
            return failed(
                RootStatus(failure: netError), FailureReason(netError), .rootLookup,
                "root \(address) prompt: \(netError)")
        }
    }
}
