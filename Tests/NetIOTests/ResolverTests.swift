import TestSupport
import Testing

@testable import NetIO

@Suite struct ResolverTests {
    private static let one = SocketAddress(numericHost: "192.0.2.1", port: 0)!
    private static let six = SocketAddress(numericHost: "2001:db8::1", port: 0)!

    private func resolver(
        _ lookup: ScriptedLookup, threads: Int = 4, maxLookups: Int = 64, clock: ManualDeadlineClock? = nil
    ) -> Resolver {
        var limits = ResolverLimits()
        limits.threads = threads
        limits.maxLookups = maxLookups
        guard let clock else { return Resolver(lookup: lookup, limits: limits) }
        return Resolver(lookup: lookup, limits: limits, clock: { clock.now })
    }

    @Test func identicalLookupsInFlightShareOneQuery() async throws {
        let lookup = ScriptedLookup(["a.test": .addresses([Self.one])])
        lookup.hold("a.test")
        let resolver = resolver(lookup)
        let callers = (0..<10).map { index in
            Task { try await resolver.resolve(host: "A.test", port: 6000 + index, deadline: .after(Patience.deadline)) }
        }
        try await eventually { lookup.calls("a.test") == 1 && resolver.lookupsInFlight == 1 }
        lookup.release("a.test")
        for (index, caller) in callers.enumerated() {
            #expect(try await caller.value.map(\.description) == ["192.0.2.1:\(6000 + index)"])
        }
        #expect(lookup.calls("a.test") == 1)
    }

    @Test func theCacheIsPerHostNotPerPort() async throws {
        let lookup = ScriptedLookup(["a.test": .addresses([Self.one, Self.six])])
        let resolver = resolver(lookup)
        let first = try await resolver.resolve(host: "a.test", port: 64, deadline: .after(Patience.deadline))
        let second = try await resolver.resolve(host: "a.test", port: 6464, deadline: .after(Patience.deadline))
        #expect(first.map(\.description) == ["192.0.2.1:64", "[2001:db8::1]:64"])
        #expect(second.map(\.description) == ["192.0.2.1:6464", "[2001:db8::1]:6464"])
        #expect(lookup.calls("a.test") == 1)
    }

    @Test func answersExpireAfterTheirLifetime() async throws {
        let lookup = ScriptedLookup(["a.test": .addresses([Self.one])])
        let clock = ManualDeadlineClock()
        let resolver = resolver(lookup, clock: clock)
        _ = try await resolver.resolve(host: "a.test", port: 1, deadline: .after(Patience.deadline))
        clock.advance(ResolverLimits().positiveTTL - .seconds(1))
        _ = try await resolver.resolve(host: "a.test", port: 1, deadline: .after(Patience.deadline))
        #expect(lookup.calls("a.test") == 1)
        clock.advance(.seconds(2))
        _ = try await resolver.resolve(host: "a.test", port: 1, deadline: .after(Patience.deadline))
        #expect(lookup.calls("a.test") == 2)
    }

    /// NXDOMAIN is remembered briefly; a failed lookup (SERVFAIL) is not remembered at all.
    @Test func noSuchHostIsCachedBrieflyAndFailuresNotAtAll() async throws {
        let lookup = ScriptedLookup(["broken.test": .failed("Temporary failure in name resolution")])
        let clock = ManualDeadlineClock()
        let resolver = resolver(lookup, clock: clock)
        for _ in 0..<2 {
            await #expect(throws: NetError.dns(host: "gone.test", message: "Name or service not known")) {
                _ = try await resolver.resolve(host: "gone.test", port: 1, deadline: .after(Patience.deadline))
            }
            await #expect(throws: NetError.dns(host: "broken.test", message: "Temporary failure in name resolution")) {
                _ = try await resolver.resolve(host: "broken.test", port: 1, deadline: .after(Patience.deadline))
            }
        }
        #expect(lookup.calls("gone.test") == 1 && lookup.calls("broken.test") == 2)
        clock.advance(ResolverLimits().negativeTTL + .seconds(1))
        _ = try? await resolver.resolve(host: "gone.test", port: 1, deadline: .after(Patience.deadline))
        #expect(lookup.calls("gone.test") == 2)
    }

    /// A caller whose deadline passes returns at once; the answer that comes later is cached.
    @Test func aWaiterLeavesAtItsDeadlineAndTheLateAnswerFillsTheCache() async throws {
        let lookup = ScriptedLookup(["slow.test": .addresses([Self.one])])
        lookup.hold("slow.test")
        let resolver = resolver(lookup)
        await #expect(throws: NetError.timeout(operation: "resolve slow.test")) {
            _ = try await resolver.resolve(host: "slow.test", port: 1, deadline: .after(.milliseconds(100)))
        }
        #expect(lookup.answered("slow.test") == 0)
        lookup.release("slow.test")
        try await eventually { resolver.lookupsInFlight == 0 }
        let cached = try await resolver.resolve(host: "slow.test", port: 2, deadline: .after(Patience.deadline))
        #expect(cached.map(\.description) == ["192.0.2.1:2"] && lookup.calls("slow.test") == 1)
    }

    /// With one thread busy, a queued lookup whose only caller gave up never runs.
    @Test func aQueuedLookupNobodyWaitsForIsSkipped() async throws {
        let lookup = ScriptedLookup(["busy.test": .addresses([Self.one]), "after.test": .addresses([Self.one])])
        lookup.hold("busy.test")
        let resolver = resolver(lookup, threads: 1)
        let busy = Task { try await resolver.resolve(host: "busy.test", port: 1, deadline: .after(Patience.deadline)) }
        try await eventually { lookup.calls("busy.test") == 1 }
        let abandoned = Task {
            try await resolver.resolve(host: "late.test", port: 1, deadline: .after(Patience.deadline))
        }
        try await eventually { resolver.lookupsInFlight == 2 }
        abandoned.cancel()
        await #expect(throws: NetError.cancelled) { _ = try await abandoned.value }
        lookup.release("busy.test")
        _ = try await busy.value
        // Queued after late.test: once it is answered, late.test's turn has come and gone.
        _ = try await resolver.resolve(host: "after.test", port: 1, deadline: .after(Patience.deadline))
        #expect(lookup.calls("late.test") == 0)
    }

    @Test func aFullResolverSaysSoAtOnce() async throws {
        let lookup = ScriptedLookup(["a.test": .addresses([Self.one]), "b.test": .addresses([Self.one])])
        lookup.hold("a.test")
        lookup.hold("b.test")
        let resolver = resolver(lookup, threads: 1, maxLookups: 2)
        let waiting = ["a.test", "b.test"].map { host in
            Task { try await resolver.resolve(host: host, port: 1, deadline: .after(Patience.deadline)) }
        }
        try await eventually { resolver.lookupsInFlight == 2 }
        await #expect(throws: NetError.dns(host: "c.test", message: "resolver busy: 2 lookups queued or running")) {
            _ = try await resolver.resolve(host: "c.test", port: 1, deadline: .after(Patience.deadline))
        }
        // Joining a lookup already in flight needs no new slot.
        let joined = Task { try await resolver.resolve(host: "a.test", port: 2, deadline: .after(Patience.deadline)) }
        lookup.release("a.test")
        lookup.release("b.test")
        for task in waiting + [joined] { _ = try await task.value }
        #expect(lookup.calls("c.test") == 0)
    }

    /// Sized for the probes in flight, every probe's lookup runs at once: none queues behind
    /// the default thread count holding its probe slot (issue 9, atServers by DNS name).
    @Test func threadsGrowToTheProbeConcurrency() async throws {
        let hosts = (0..<40).map { "host\($0).test" }
        let lookup = ScriptedLookup(Dictionary(uniqueKeysWithValues: hosts.map { ($0, .addresses([Self.one])) }))
        for host in hosts { lookup.hold(host) }
        let resolver = resolver(lookup, threads: 4)
        resolver.allowThreads(forProbes: hosts.count)
        let callers = hosts.map { host in
            Task { try await resolver.resolve(host: host, port: 1, deadline: .after(Patience.deadline)) }
        }
        try await eventually { hosts.allSatisfy { lookup.calls($0) == 1 } }
        for host in hosts { lookup.release(host) }
        for caller in callers { _ = try await caller.value }
    }

    @Test func probeConcurrencyRaisesTheThreadLimitUpToABoundAndNeverLowersIt() {
        let resolver = resolver(ScriptedLookup([:]), threads: 4)
        resolver.allowThreads(forProbes: 100)
        #expect(resolver.threadLimit == 100)
        resolver.allowThreads(forProbes: 2)
        #expect(resolver.threadLimit == 100)
        resolver.allowThreads(forProbes: 100_000)
        #expect(resolver.threadLimit == Resolver.maxThreads)
    }

    @Test func addressesInterleaveFamiliesIPv4First() {
        let addresses = ["2001:db8::1", "2001:db8::2", "192.0.2.1", "192.0.2.2", "192.0.2.3"].map {
            SocketAddress(numericHost: $0, port: 0)!
        }
        #expect(
            SystemNameLookup.interleavingFamilies(addresses).map(\.host) == [
                "192.0.2.1", "2001:db8::1", "192.0.2.2", "2001:db8::2", "192.0.2.3",
            ])
    }
}
