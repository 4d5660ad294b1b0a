import Glibc
import NetIO
import Synchronization

/// A `--web.config.file` that follows its files: the config itself, its certificate, key and
/// client CA. exporter-toolkit reads them again for every TLS handshake and request, so a
/// certificate rotated by cert-manager, or a user added, takes effect without a restart; this
/// does the same at the cost of a few `stat` calls per new connection, and reads and parses
/// only when a file's identity, size or modification time changed.
///
/// A changed file that does not load (a half-written key, a YAML typo) keeps the previous TLS
/// context and users, and is reported once through `onError` until it changes again.
public final class WebConfigReloader: Sendable {
    /// What a new connection uses: nil TLS means plain HTTP, a nil authenticator no basic auth.
    public struct Security: Sendable {
        public let tls: TLSContext?
        public let authenticate: Authenticator?
    }

    public let path: String
    /// How long a checked fingerprint is trusted before the files are looked at again.
    let checkInterval: Duration
    private let onReload: @Sendable (WebConfig) -> Void
    private let onError: @Sendable (WebConfigError) -> Void
    private let state: Mutex<State>

    struct State {
        var security: Security
        var config: WebConfig
        var fingerprint: [FileFingerprint?]
        var nextCheck: Deadline
    }

    /// Loads the config now; throws when it (or one of its TLS files) is unusable, so a bad
    /// file still stops the server from starting.
    public init(
        path: String, checkInterval: Duration = .seconds(1),
        onReload: @escaping @Sendable (WebConfig) -> Void = { _ in },
        onError: @escaping @Sendable (WebConfigError) -> Void = { _ in }
    ) throws(WebConfigError) {
        self.path = path
        self.checkInterval = checkInterval
        self.onReload = onReload
        self.onError = onError
        let (config, security) = try Self.load(path)
        state = Mutex(
            State(
                security: security, config: config, fingerprint: Self.fingerprint(path: path, config: config),
                nextCheck: .after(checkInterval)))
    }

    /// The config as last loaded (its warnings are worth logging at startup).
    public var config: WebConfig { state.withLock { $0.config } }

    /// The TLS context and users for a new connection, reloaded first if a file changed.
    public func current() -> Security {
        let (due, config, previous) = state.withLock { state in
            let due = state.nextCheck.hasPassed
            if due { state.nextCheck = .after(checkInterval) }
            return (due, state.config, state.fingerprint)
        }
        guard due else { return state.withLock { $0.security } }
        let now = Self.fingerprint(path: path, config: config)
        guard now != previous else { return state.withLock { $0.security } }
        do {
            let (loaded, security) = try Self.load(path)
            // The fingerprint from before the read: a file changed while it was read differs
            // from it, so the next check reads again. (When the new config names other TLS
            // files, that next check also reads once more, harmlessly.)
            state.withLock { state in
                state.security = security
                state.config = loaded
                state.fingerprint = now
            }
            onReload(loaded)
            return security
        } catch {
            // Remember the broken files, so the error is reported once, not per connection.
            state.withLock { $0.fingerprint = now }
            onError(error)
            return state.withLock { $0.security }
        }
    }

    private static func load(_ path: String) throws(WebConfigError) -> (WebConfig, Security) {
        let config = try WebConfig.load(path: path)
        let tls = try config.makeTLSContext()
        return (config, Security(tls: tls, authenticate: config.makeBasicAuthUsers()?.authenticator))
    }

    /// The config file's fingerprint followed by those of the TLS files it names.
    static func fingerprint(path: String, config: WebConfig?) -> [FileFingerprint?] {
        var paths = [path]
        if let tls = config?.tls {
            paths += [tls.certFile, tls.keyFile] + (tls.clientCAFile.map { [$0] } ?? [])
        }
        return paths.map(FileFingerprint.init(path:))
    }
}

/// What tells a changed file apart cheaply: `stat` follows symbolic links, so a Kubernetes
/// secret volume, which swaps a `..data` link, shows a new inode.
struct FileFingerprint: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: Int64
    var modifiedNanoseconds: Int

    /// nil when the file cannot be stat'ed (missing): that, too, is a change to notice.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
    }
}
