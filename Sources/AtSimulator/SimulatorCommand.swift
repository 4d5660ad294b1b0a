import Dispatch
import Foundation
import NetIO
import Synchronization

/// `atsign_sim`: parse flags, start the simulator, print where it is, run until a signal.
public enum SimulatorCommand {
    /// Runs the command and returns the exit status: 0 after SIGINT/SIGTERM, 2 for bad flags
    /// or bad input, 1 when the simulator cannot start.
    public static func run(arguments: [String]) async -> Int32 {
        let options: SimulatorOptions
        let fleet: Fleet
        do {
            options = try SimulatorOptions.parse(arguments)
            if options.help {
                emit(SimulatorOptions.usage)
                return 0
            }
            fleet = try options.fleet()
        } catch {
            complain("atsign_sim: \(error)")
            return 2
        }
        let simulator: Simulator
        let dns: DNSResponder?
        do {
            simulator = try await Simulator.start(
                fleet: fleet, host: options.listenHost, rootPort: options.listenPort,
                rateLimitDelay: options.rateLimitDelay, names: options.names)
        } catch {
            complain("atsign_sim: cannot start: \(error)")
            return 1
        }
        do {
            dns = try startDNS(options)
        } catch {
            complain("atsign_sim: cannot start the DNS responder: \(error)")
            await simulator.shutdown()
            return 1
        }
        defer { dns?.stop() }
        // The CA file is written before `root=` is printed: a caller that starts probing on that
        // line (the end-to-end tests do) must find the file there.
        if let caOut = options.caOut {
            do {
                try simulator.caPEM.write(toFile: caOut, atomically: true, encoding: .utf8)
            } catch {
                complain("atsign_sim: --ca-out: cannot write \(caOut): \(error.localizedDescription)")
                await simulator.shutdown()
                return 1
            }
        }
        emit("root=\(simulator.rootAddress)")
        if let dns {
            emit("dns=\(dns.host.contains(":") ? "[\(dns.host)]" : dns.host):\(dns.port) mode=\(options.dnsMode)")
        }
        startStalls(options, simulator: simulator)
        if let caOut = options.caOut { emit("ca=\(caOut)") }
        emit(summary(of: fleet, simulator: simulator))
        await waitForTerminationSignal()
        await simulator.shutdown()
        return 0
    }

    /// The responder for `--dns.listen`, answering the simulator's names with its listen address.
    private static func startDNS(_ options: SimulatorOptions) throws -> DNSResponder? {
        guard let listen = options.dnsListen, let names = options.names else { return nil }
        let isNumeric = SocketAddress(numericHost: options.listenHost, port: 0) != nil
        let served = isNumeric && options.listenHost != "0.0.0.0" && options.listenHost != "::"
        return try DNSResponder(
            host: listen.host, port: listen.port, zone: names.domain,
            addresses: options.dnsAddresses ?? [served ? options.listenHost : "127.0.0.1"], mode: options.dnsMode)
    }

    /// `--root-stall-lookups` from the start; `--root-stall` once its start time comes.
    static func startStalls(_ options: SimulatorOptions, simulator: Simulator) {
        if options.rootStallLookups > 0 { simulator.stallRoot(lookups: options.rootStallLookups) }
        guard let stall = options.rootStall else { return }
        Task {
            try await Task.sleep(for: stall.start)
            simulator.stallRoot(for: stall.length)
        }
    }

    /// One line per atSign for small fleets; counts per scenario for big ones.
    static func summary(of fleet: Fleet, simulator: Simulator) -> String {
        var lines = ["root_mode=\(fleet.rootMode) atsigns=\(fleet.entries.count)"]
        if fleet.rootLink != .loopback || fleet.serverLink != .loopback {
            lines.append("root_link: \(fleet.rootLink)")
            lines.append("server_link: \(fleet.serverLink)")
        }
        if fleet.entries.count <= 100 {
            for entry in fleet.entries {
                let server = simulator.serverAddress(of: entry.atSign) ?? "none"
                lines.append("atsign=\(entry.atSign) scenario=\(entry.scenario) server=\(server)")
            }
        } else {
            var counts: [String: Int] = [:]
            for entry in fleet.entries { counts[entry.scenario.description, default: 0] += 1 }
            lines.append(counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    /// Writes a line to stdout unbuffered, so a parent reading the pipe sees it at once. A
    /// reader that went away (EPIPE) must not crash the simulator, so errors are ignored.
    static func emit(_ text: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data((text + "\n").utf8))
    }

    static func complain(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data((text + "\n").utf8))
    }

    /// Suspends until SIGINT or SIGTERM arrives (handled through Dispatch, not a signal handler).
    static func waitForTerminationSignal() async {
        let sources = [SIGINT, SIGTERM].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            return DispatchSource.makeSignalSource(signal: number, queue: .global())
        }
        let resumed = Mutex(false)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            for source in sources {
                source.setEventHandler {
                    let first = resumed.withLock { fired in
                        defer { fired = true }
                        return !fired
                    }
                    if first { continuation.resume() }
                }
                source.resume()
            }
        }
        for source in sources { source.cancel() }
    }
}
