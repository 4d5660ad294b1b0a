import AtStatus
import Foundation
import NetIO
import Synchronization

/// The TLS identities an atServer can present: a good one, one for the wrong host, an expired one.
struct ServerIdentities: Sendable {
    let valid: TLSContext
    let wrongHost: TLSContext
    let expired: TLSContext

    func context(for scenario: Scenario) -> TLSContext {
        switch scenario {
        case .wrongHost: wrongHost
        case .expired: expired
        default: valid
        }
    }
}

/// Every simulated atServer, one TLS listener per atSign on `host`.
///
/// The scenario is read when a connection arrives, so a change applies to the next session.
/// `stopped` keeps the atSign's port but closes its listener, so connects there are refused.
final class SimulatedAtServers: Sendable {
    private struct Slot {
        var scenario: Scenario
        var port: Int?
        var listener: TCPListener?
    }

    let host: String
    private let identities: ServerIdentities
    private let slots = Mutex<[AtSign: Slot]>([:])
    private let tracker = ConnectionTracker()
    private let started = Deadline.now
    private let deadPorts: DeadPorts
    private let conditions: LinkConditions
    private let natDrops: NATDrops

    init(
        host: String, identities: ServerIdentities, entries: [FleetEntry], conditions: LinkConditions = .loopback,
        natDrops: NATDrops = NATDrops()
    ) throws {
        self.host = host
        self.identities = identities
        self.conditions = conditions
        self.natDrops = natDrops
        deadPorts = DeadPorts(host: host)
        for entry in entries { try setScenario(entry.scenario, for: entry.atSign) }
    }

    /// `host:port` for the root to answer, or nil when the root should answer `null`.
    func address(of atSign: AtSign) -> String? {
        guard let port = slots.withLock({ $0[atSign]?.port }) else { return nil }
        return "\(host):\(port)"
    }

    func scenario(of atSign: AtSign) -> Scenario? { slots.withLock { $0[atSign]?.scenario } }

    /// Sets or adds an atSign's scenario, opening or closing its listener as the scenario needs.
    func setScenario(_ scenario: Scenario, for atSign: AtSign) throws {
        var slot = slots.withLock { $0[atSign] } ?? Slot(scenario: scenario)
        slot.scenario = scenario
        switch scenario {
        case .notFound:
            slot.listener?.close()
            slot.listener = nil
            slot.port = nil
        case .stopped:
            slot.listener?.close()
            slot.listener = nil
            if slot.port == nil { slot.port = try deadPorts.take() }
        default:
            if slot.listener == nil {
                let listener = try listen(preferring: slot.port)
                slot.listener = listener
                slot.port = listener.port
                runAcceptLoop(listener, tracker: tracker) { [self] tcp in await serve(tcp, atSign: atSign) }
            }
        }
        slots.withLock { $0[atSign] = slot }
    }

    func shutdown() async {
        let listeners = slots.withLock { state in state.values.compactMap(\.listener) }
        for listener in listeners { listener.close() }
        tracker.cancelAll()
    }

    /// Listens on the atSign's old port when it has one (so the root's answer stays true), else any.
    private func listen(preferring port: Int?) throws -> TCPListener {
        if let port, let listener = try? TCPListener(host: host, port: port) { return listener }
        return try TCPListener(host: host, port: 0)
    }

    private func serve(_ tcp: TCPConnection, atSign: AtSign) async {
        do { try await LinkConditions.wait(conditions.handshakeLatency) } catch { return }
        guard let scenario = scenario(of: atSign),
            let tls = await acceptTLS(tcp, context: identities.context(for: scenario))
        else { return }
        let session = AtServerSession(
            tls: tls, tcp: tcp, atSign: atSign, scenario: scenario, conditions: conditions, natDrops: natDrops,
            uptimeMillis: { [started] in Int(Deadline.now.seconds(since: started) * 1000) })
        if scenario == .hung {
            await drainSilently(tls)
        } else if scenario == .reset {
            await session.resetMidReply()
            return
        } else {
            try? await session.run()
        }
        await tls.close()
    }
}
