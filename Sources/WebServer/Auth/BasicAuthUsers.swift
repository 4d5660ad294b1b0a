import COpenSSL
import Synchronization

/// The `basic_auth_users` of a web config: checks credentials against bcrypt hashes.
///
/// - Unknown users are checked against a dummy hash of the highest configured cost, so the
///   time of an answer does not tell whether the user exists.
/// - Successful checks are cached, so a scrape every 15 s does not pay bcrypt each time. The cache
///   is keyed by SHA-256(random per-process salt ‖ user ‖ 0 ‖ password) rather than the plain
///   pair: no password stays in memory after its request. The trade-off: whoever can read this
///   process's memory (salt included) can test guesses at SHA-256 speed instead of bcrypt speed,
///   but only for passwords that were accepted; with plain pairs they would just read them.
///   Failures are not cached: every wrong guess costs a full bcrypt run.
public final class BasicAuthUsers: Sendable {
    /// Verified entries at most; the cache is emptied when full (it refills at one bcrypt run
    /// per active user).
    static let cacheLimit = 1024

    let hashes: [String: String]
    let dummySetting: String
    private let cacheSalt: [UInt8]
    private let verified = Mutex<Set<[UInt8]>>([])
    private let bcryptRunCount = Atomic<Int>(0)

    /// `hashes` maps user names to bcrypt hashes (`$2a$`, `$2b$`, `$2y$`); a malformed hash
    /// accepts no password (`WebConfig` refuses them when it loads).
    public init(_ hashes: [String: String]) {
        self.hashes = hashes
        let cost = hashes.values.compactMap(BCrypt.cost(of:)).max() ?? 10
        dummySetting = BCrypt.randomSetting(cost: cost)
        var generator = SystemRandomNumberGenerator()
        cacheSalt = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Whether `user` exists and `password` matches its hash; the bcrypt work runs on
    /// `BCryptWorker`'s queue.
    public func authenticate(user: String, password: String) async -> Bool {
        let key = cacheKey(user: user, password: password)
        if verified.withLock({ $0.contains(key) }) { return true }
        let known = hashes[user]
        let hash = known ?? dummySetting
        let matches = await BCryptWorker.run {
            self.bcryptRunCount.add(1, ordering: .relaxed)
            return BCrypt.verify(password: password, hash: hash)
        }
        guard known != nil, matches else { return false }
        verified.withLock { cache in
            if cache.count >= Self.cacheLimit { cache.removeAll() }
            cache.insert(key)
        }
        return true
    }

    /// For `HTTPServerConfiguration.authenticate`.
    public var authenticator: Authenticator {
        { user, password in await self.authenticate(user: user, password: password) }
    }

    /// bcrypt runs so far on `BCryptWorker`, cache hits excluded: lets tests see the cache work.
    var bcryptRuns: Int { bcryptRunCount.load(ordering: .relaxed) }

    private func cacheKey(user: String, password: String) -> [UInt8] {
        let input = cacheSalt + Array(user.utf8) + [0] + Array(password.utf8)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = EVP_Digest(input, input.count, &digest, &length, EVP_sha256(), nil)
        return Array(digest.prefix(Int(length)))
    }
}
