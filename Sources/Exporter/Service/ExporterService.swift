import AtStatus
import Basics
import Exposition
import Foundation
import NetIO
import Synchronization

/// The running exporter: settings, the shared status core, the prober and the snapshot store.
/// Routes, signals and reloads all go through here.
final class ExporterService: Sendable {
    let arguments: [String]
    let loader: SettingsLoader
    let logger: Logger
    let store: SnapshotStore
    let prober: Prober
    let collector: Collector
    /// `--web.max-fresh-probes-per-second`, for `/api/v1/status` fresh probes only.
    let freshProbes: RateLimiter
    /// Bounds `/probe`, which a Prometheus job drives and the rate limit must not refuse:
    /// `--probe.concurrency` probes at a time, beside the background rounds' own.
    let probeSlots: AsyncSemaphore
    let stats: ServingStats
    let page: ScrapePage
    private let state: Mutex<Settings>
    private let reloads = AsyncSemaphore(permits: 1)
    private let context: TLSContext
    /// One pool of root connections for the process: the root address and pool size need a
    /// restart, so every checker a reload builds shares it (no pool is left behind open).
    private let root: RootDirectory
    /// Applied to every freshly loaded configuration (the demo points it at its simulator).
    private let adjust: @Sendable (inout Settings) -> Void

    init(
        settings: Settings, arguments: [String], loader: SettingsLoader, logger: Logger, context: TLSContext,
        adjust: @escaping @Sendable (inout Settings) -> Void = { _ in }
    ) {
        self.adjust = adjust
        self.arguments = arguments
        self.loader = loader
        self.logger = logger
        self.context = context
        state = Mutex(settings)
        root = Self.rootDirectory(settings, context: context)
        collector = Collector(
            shard: settings.shard, totalShards: settings.totalShards, collectors: settings.collectors)
        let index = SegmentIndex(collector: collector)
        store = SnapshotStore(rootAddress: settings.rootAddress.description, observer: index)
        page = ScrapePage(store: store, index: index)
        store.setTargets(settings.atSignsInShard)
        store.recordReload(successful: true, at: WallTime.now())
        freshProbes = RateLimiter(perSecond: settings.maxFreshProbesPerSecond)
        probeSlots = AsyncSemaphore(permits: settings.probeConcurrency)
        stats = ServingStats(telemetryPath: settings.telemetryPath)
        prober = Self.prober(
            settings, context: context, root: root, store: store,
            onChange: { change in
                // A first status is no news: round 1 would log one line per atSign (10,000 at
                // every start). They are counted in the round's "first statuses" line instead.
                logger.log(
                    change.from == nil ? .debug : .info, "status changed",
                    [
                        "atsign": change.atSign.name, "from": change.from?.rawValue ?? "none",
                        "to": change.to.rawValue, "reason": change.reason?.rawValue ?? "",
                    ])
            },
            onOverrun: { overrun in
                logger.warn(
                    "probe round overran its interval; raise --probe.concurrency or --probe.interval",
                    [
                        "seconds": overrun.seconds, "interval": overrun.interval.secondsDouble,
                        "atsigns": overrun.atSigns, "concurrency": overrun.concurrency,
                    ])
            },
            onRoundFinished: { report in
                let first = report.firstStatuses
                guard !first.isEmpty else { return }
                logger.info(
                    "first statuses",
                    [
                        "atsigns": first.values.reduce(0, +), "round_seconds": report.seconds,
                        "activated": first[.activated] ?? 0, "teapot": first[.teapot] ?? 0,
                        "notFound": first[.notFound] ?? 0, "unavailable": first[.unavailable] ?? 0,
                        "error": first[.error] ?? 0,
                    ])
            })
    }

    var settings: Settings { state.withLock { $0 } }

    /// The priority of the prober's rounds (`serve` starts them with it; their probes inherit
    /// it). On Linux, Dispatch runs `.background` work on threads at nice 10, so a round's TLS
    /// handshakes, which can fill both cores for the whole round, yield the CPU to the HTTP
    /// server's thread (nice 0): gzip `/metrics` p50 during rounds 0.8–1.4 ms at the default
    /// priority, 0.56–0.62 ms at `.background` (BENCHMARKS.md 3b). `/probe` and fresh status
    /// probes keep their handler's priority: someone waits for them.
    static let probePriority = TaskPriority.background

    /// The prober `serve` runs in rounds and `check` asks once per atSign: one probing path.
    static func prober(
        _ settings: Settings, context: TLSContext, root: RootDirectory, store: SnapshotStore,
        onChange: @escaping @Sendable (StatusChange) -> Void = { _ in },
        onOverrun: @escaping @Sendable (RoundOverrun) -> Void = { _ in },
        onRoundFinished: @escaping @Sendable (RoundReport) -> Void = { _ in }
    ) -> Prober {
        let checker = StatusChecker(configuration: checkerConfiguration(settings), context: context, root: root)
        return Prober(
            checker: checker, store: store, schedule: schedule(settings), onChange: onChange, onOverrun: onOverrun,
            onRoundFinished: onRoundFinished)
    }

    /// The root connection pool for these settings; one per process (see `root`).
    static func rootDirectory(_ settings: Settings, context: TLSContext) -> RootDirectory {
        RootDirectory(
            address: settings.rootAddress.address, context: context,
            settings: RootPoolSettings(maxConnections: settings.rootMaxConnections))
    }

    static func checkerConfiguration(_ settings: Settings) -> StatusChecker.Configuration {
        StatusChecker.Configuration(
            root: settings.rootAddress, timeout: settings.probeTimeout, askInfo: settings.probeInfo,
            allowedDomains: settings.allowedDomains.isEmpty ? nil : settings.allowedDomains)
    }

    static func schedule(_ settings: Settings) -> Prober.Schedule {
        Prober.Schedule(
            interval: settings.probeInterval, timeout: settings.probeTimeout, concurrency: settings.probeConcurrency)
    }

    /// Re-reads the command line's files. A bad file keeps the running configuration and says so
    /// in `atsign_exporter_config_last_reload_successful`. Reloads run one at a time (SIGHUP and
    /// `POST /-/reload` may arrive together): each applies whole, and the last one read wins.
    @discardableResult
    func reload() async -> Result<Settings, ConfigError> {
        // Only cancellation ends the wait, and a cancelled caller has nobody to answer.
        do {
            try await reloads.acquire(deadline: .distantFuture)
        } catch {
            return .failure(ConfigError("reload cancelled"))
        }
        defer { reloads.release() }
        return applyReload()
    }

    private func applyReload() -> Result<Settings, ConfigError> {
        var newer: Settings
        do {
            newer = try loader.load(arguments: arguments)
            adjust(&newer)
        } catch {
            store.recordReload(successful: false, at: WallTime.now())
            logger.error("reload failed; keeping the running configuration", ["err": error.message])
            return .failure(error)
        }
        let restartNeeded = settings.changesNeedingRestart(in: newer)
        if !restartNeeded.isEmpty {
            logger.warn("some changes need a restart and are ignored", ["flags": restartNeeded.joined(separator: ",")])
        }
        var applied = settings
        applied.atSigns = newer.atSigns
        applied.probeInterval = newer.probeInterval
        applied.probeTimeout = newer.probeTimeout
        applied.probeInfo = newer.probeInfo
        applied.logLevel = newer.logLevel
        state.withLock { $0 = applied }
        logger.setLevel(applied.logLevel)
        let checker = StatusChecker(configuration: Self.checkerConfiguration(applied), context: context, root: root)
        prober.update(schedule: Self.schedule(applied), checker: checker)
        store.setTargets(applied.atSignsInShard)
        store.recordReload(successful: true, at: WallTime.now())
        logger.info("configuration reloaded", ["atsigns": applied.atSignsInShard.count])
        return .success(applied)
    }

    /// Says `@exit` on every idle root connection: the last step of a shutdown, once no probe runs.
    func closeRootConnections() async { await root.closeIdle() }

    /// A probe a request asked for, through the prober so it gets the same cut-off. Throws
    /// when shutdown cancels it: a cancelled probe is no answer about the atSign.
    func freshProbe(_ atSign: AtSign, timeout: Duration? = nil) async throws(CancellationError) -> ProbeResult {
        try await prober.probe(atSign, timeout: timeout)
    }
}
