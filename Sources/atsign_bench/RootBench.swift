import AtSimulator
import AtStatus
import NetIO

/// `root`: lookups through the exporter's `RootDirectory` against an in-process simulated root,
/// counting the TLS handshakes the root completed: the pooling figure.
enum RootBench {
    static func run(_ options: Options) async throws {
        let lookups = try options.integer("lookups", 10_000)
        let concurrency = try options.integer("concurrency", 64)
        let fleet = Fleet.generate(count: try options.integer("atsigns", 100), mix: [(.activated, 1)])
        let simulator = try await Simulator.start(fleet: fleet)
        let context = try TLSContext.client(caPEM: simulator.caPEM, trustSystemStore: false)
        let directory = RootDirectory(address: try ServerAddress(parsing: simulator.rootAddress), context: context)
        let atSigns = fleet.entries.map(\.atSign)
        let start = Deadline.now
        let cpuBefore = Measure.cpuSeconds()
        let found = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var found = 0
                    for index in stride(from: worker, to: lookups, by: concurrency) {
                        let lookup = await directory.lookup(
                            atSigns[index % atSigns.count], deadline: .after(.seconds(10)))
                        if lookup.status == .found { found += 1 }
                    }
                    return found
                }
            }
            return await group.reduce(0, +)
        }
        let seconds = Deadline.now.seconds(since: start)
        report("root_lookups", Double(lookups), digits: 0)
        report("root_found", Double(found), digits: 0)
        report("root_handshakes", Double(simulator.rootCounters.handshakes), digits: 0)
        report("root_resumed", Double(directory.resumedHandshakes), digits: 0)
        report("root_lookups_per_second", Double(lookups) / seconds, digits: 1)
        report("root_cpu_seconds_per_lookup_with_simulator", (Measure.cpuSeconds() - cpuBefore) / Double(lookups))
        await directory.closeIdle()
        await simulator.shutdown()
    }
}

/// `handshake`: the bare cost of one TLS handshake (TCP connect, handshake, close) with the
/// exporter's own NetIO, one after another, against a running atServer.
enum HandshakeBench {
    static func run(_ options: Options) async throws {
        let address = try ServerAddress(parsing: try options.text("address"))
        let context = try TLSContext.client(caFile: try options.text("ca-file"), trustSystemStore: false)
        let end = Deadline.after(.seconds(try options.integer("seconds", 5)))
        let start = Deadline.now
        let cpuBefore = Measure.cpuSeconds()
        var count = 0
        while !end.hasPassed {
            let deadline = Deadline.after(.seconds(5))
            let tcp = try await TCPConnection.connect(host: address.host, port: address.port, deadline: deadline)
            let tls = try await TLSConnection.connect(
                over: tcp, context: context, serverName: address.host, deadline: deadline)
            await tls.close()
            count += 1
        }
        let seconds = Deadline.now.seconds(since: start)
        report("handshake_count", Double(count), digits: 0)
        report("handshake_per_second", Double(count) / seconds, digits: 1)
        report("handshake_cpu_seconds_each", (Measure.cpuSeconds() - cpuBefore) / Double(count))
    }
}

/// `probe`: whole probes (root lookup, handshake, scan, lookup, info, @exit) one after another
/// through `StatusChecker`, against a running simulator: the per-probe cost beside `handshake`'s,
/// sequential like `openssl s_time`, and a workload callgrind can profile (it cannot run the
/// exporter itself).
enum ProbeBench {
    static func run(_ options: Options) async throws {
        let root = try RootAddress(parsing: try options.text("root"))
        let context = try TLSContext.client(caFile: try options.text("ca-file"), trustSystemStore: false)
        let count = try options.integer("atsigns", 200)
        let checker = StatusChecker(configuration: .init(root: root, timeout: .seconds(5)), context: context)
        // The simulator's names for `--generate`: @sim00001 on, at least five digits.
        let atSigns = try (1...count).map { number in
            let digits = String(number)
            return try AtSign("@sim" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits)
        }
        // Only activated atSigns are timed: a hung one (the bench's fleet has 10 %) would spend
        // the run waiting for its deadline. One concurrent pass finds them, warming the root pool.
        let answering = await withTaskGroup(of: AtSign?.self) { group in
            for atSign in atSigns {
                group.addTask {
                    await checker.check(atSign, deadline: .after(.seconds(2))).atSignStatus == .activated
                        ? atSign : nil
                }
            }
            return await group.reduce(into: [AtSign]()) { if let atSign = $1 { $0.append(atSign) } }
        }
        guard !answering.isEmpty else { throw BenchError("probe: none of the \(count) atSigns answered activated") }
        let end = Deadline.after(.seconds(try options.integer("seconds", 5)))
        let start = Deadline.now
        let cpuBefore = Measure.cpuSeconds()
        var probes = 0
        var activated = 0
        while !end.hasPassed {
            let result = await checker.check(answering[probes % answering.count], deadline: .after(.seconds(5)))
            if result.atSignStatus == .activated { activated += 1 }
            probes += 1
        }
        let seconds = Deadline.now.seconds(since: start)
        report("probe_count", Double(probes), digits: 0)
        report("probe_activated", Double(activated), digits: 0)
        report("probe_per_second", Double(probes) / seconds, digits: 1)
        report("probe_cpu_seconds_each", (Measure.cpuSeconds() - cpuBefore) / Double(probes))
        await checker.root.closeIdle()
    }
}
