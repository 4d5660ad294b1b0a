import CCrypt
import Glibc

/// bcrypt verification through libxcrypt's `crypt_r`. Debian's libxcrypt (4.4) verifies `$2a$`,
/// `$2b$` and `$2y$` natively (checked in `BCryptTests`), so hashes are passed through unchanged;
/// `$2x$` (the output of the buggy pre-2011 crypt_blowfish) is refused.
///
/// These calls block for the whole bcrypt run (~70 ms at cost 10): call them from
/// `BCryptWorker`, never from the cooperative pool.
enum BCrypt {
    static let prefixes = ["$2a$", "$2b$", "$2y$"]

    /// The cost of a well-formed bcrypt hash (`$2b$10$` + 22 salt + 31 hash characters of
    /// bcrypt's base64 alphabet), nil for anything else.
    static func cost(of hash: String) -> Int? {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, prefixes.contains(String(decoding: bytes[0..<4], as: UTF8.self)),
            bytes[6] == UInt8(ascii: "$"),
            let cost = Int(String(decoding: bytes[4..<6], as: UTF8.self)), (4...31).contains(cost),
            bytes[7...].allSatisfy(isBCryptBase64)
        else { return nil }
        return cost
    }

    /// Whether `password` hashes to `hash`. Passwords holding NUL are refused: C would cut them
    /// short, so "secret\0anything" would pass as "secret".
    static func verify(password: String, hash: String) -> Bool {
        guard cost(of: hash) != nil, !password.utf8.contains(0) else { return false }
        guard let computed = crypt(password, setting: hash) else { return false }
        return constantTimeEqual(Array(computed.utf8), Array(hash.utf8))
    }

    /// Runs `crypt_r`; nil when libxcrypt refuses (it answers with a string starting with `*`).
    static func crypt(_ password: String, setting: String) -> String? {
        // crypt_data is ~32 KiB: too big for a stack, and it must start zeroed.
        guard let raw = calloc(1, MemoryLayout<crypt_data>.size) else { return nil }
        defer {
            memset(raw, 0, MemoryLayout<crypt_data>.size)
            free(raw)
        }
        let data = raw.assumingMemoryBound(to: crypt_data.self)
        guard let output = crypt_r(password, setting, data) else { return nil }
        let text = String(cString: output)
        return text.hasPrefix("*") ? nil : text
    }

    /// A fresh `$2b$` setting (cost and random salt) for the dummy check of unknown users.
    static func randomSetting(cost: Int) -> String {
        var buffer = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        guard crypt_gensalt_rn("$2b$", UInt(cost), nil, 0, &buffer, Int32(buffer.count)) != nil else {
            // libxcrypt only fails here without an entropy source; any fixed salt keeps the timing.
            return "$2b$\(cost < 10 ? "0" : "")\(cost)$" + String(repeating: "a", count: 22)
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Compares every byte whatever the first difference, so the time tells nothing about where
    /// the two differ (only whether their lengths do).
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference: UInt8 = a.count == b.count ? 0 : 1
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0
    }

    private static func isBCryptBase64(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "/"):
            true
        default: false
        }
    }
}
