import AtStatus

/// Splits the atSigns between `--total-shards` processes by a hash that is the same in every
/// process, version and platform: FNV-1a 64 of the normalised name's UTF-8 (with its `@`).
/// Swift's `Hasher` is seeded per process, so it must never be used here.
public enum Shard {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    public static func fnv1a64<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var hash = offsetBasis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= prime
        }
        return hash
    }

    /// The shard (0..<totalShards) that probes `atSign`.
    public static func index(of atSign: AtSign, totalShards: Int) -> Int {
        precondition(totalShards >= 1, "totalShards must be at least 1")
        return Int(fnv1a64(atSign.name.utf8) % UInt64(totalShards))
    }

    public static func owns(_ atSign: AtSign, shard: Int, totalShards: Int) -> Bool {
        index(of: atSign, totalShards: totalShards) == shard
    }
}
