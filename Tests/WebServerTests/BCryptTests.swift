import Foundation
import TestSupport
import Testing

@testable import WebServer

/// bcrypt hashes made at test time by Apache's `htpasswd -nbBC 10` (Debian apache2-utils), the
/// tool the exporter-toolkit docs recommend; it writes `$2y$` hashes.
enum Htpasswd {
    static let path = "/usr/bin/htpasswd"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: path) }
    static let missing = "htpasswd not found: apt-get install -y --no-install-recommends apache2-utils"

    /// The hash of `password` for `user`, cost 10.
    static func hash(user: String, password: String, cost: Int = 10) async throws -> String {
        let run = try await ProcessRunner.run(path, ["-nbBC", "\(cost)", user, password])
        #expect(run.status == 0, "htpasswd failed: \(run.stderr)")
        let data = run.stdout
        let line = data.trimmingCharacters(in: .whitespacesAndNewlines)
        return String(try #require(line.split(separator: ":", maxSplits: 1).last))
    }
}

@Suite(.enabled(if: Htpasswd.isAvailable, Comment(rawValue: Htpasswd.missing)))
struct BCryptTests {
    @Test func verifiesHtpasswdHashesOfEveryPrefix() async throws {
        let hash = try await Htpasswd.hash(user: "alice", password: "open sesame")
        #expect(hash.hasPrefix("$2y$10$"))
        #expect(BCrypt.cost(of: hash) == 10)
        #expect(BCrypt.verify(password: "open sesame", hash: hash))
        #expect(!BCrypt.verify(password: "open sesame ", hash: hash))
        #expect(!BCrypt.verify(password: "", hash: hash))
        // $2a$, $2b$ and $2y$ are the same algorithm for correct implementations: libxcrypt
        // accepts each as written, so no mapping is needed.
        for prefix in ["$2a$", "$2b$"] {
            let renamed = prefix + hash.dropFirst(4)
            #expect(BCrypt.verify(password: "open sesame", hash: renamed), "\(prefix)")
        }
    }

    @Test func refusesTheBuggy2xVariantAndMalformedHashes() async throws {
        let hash = try await Htpasswd.hash(user: "bob", password: "pw")
        #expect(!BCrypt.verify(password: "pw", hash: "$2x$" + hash.dropFirst(4)))
        #expect(!BCrypt.verify(password: "pw", hash: String(hash.dropLast())))
        #expect(BCrypt.cost(of: "$2y$03$" + hash.dropFirst(7)) == nil)
        #expect(BCrypt.cost(of: "$2y$32$" + hash.dropFirst(7)) == nil)
        #expect(BCrypt.cost(of: "$2y$10$" + String(repeating: "#", count: 53)) == nil)
        // A DES crypt "hash" that crypt_r would happily compute must never be used.
        if let des = BCrypt.crypt("pw", setting: "ab") {
            #expect(!BCrypt.verify(password: "pw", hash: des))
        }
    }

    @Test func refusesPasswordsWithNUL() async throws {
        let hash = try await Htpasswd.hash(user: "carol", password: "secret")
        #expect(BCrypt.verify(password: "secret", hash: hash))
        #expect(!BCrypt.verify(password: "secret\0tail", hash: hash))
    }

    @Test func randomSettingsHaveTheAskedCostAndFreshSalts() {
        let first = BCrypt.randomSetting(cost: 12)
        #expect(first.hasPrefix("$2b$12$"))
        #expect(first.count == 29)
        #expect(first != BCrypt.randomSetting(cost: 12))
        #expect(BCrypt.randomSetting(cost: 4).hasPrefix("$2b$04$"))
    }

    @Test func constantTimeEqual() {
        #expect(BCrypt.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!BCrypt.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
        #expect(!BCrypt.constantTimeEqual(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!BCrypt.constantTimeEqual([], [0]))
        #expect(BCrypt.constantTimeEqual([], []))
    }
}
