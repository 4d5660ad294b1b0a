import Foundation
import NetIO
import Testing

@testable import WebServer

@Suite(.enabled(if: Htpasswd.isAvailable, Comment(rawValue: Htpasswd.missing)), .timeLimit(.minutes(1)))
struct AuthUsersTests {
    @Test func acceptsTheRightPasswordAndCachesOnlySuccesses() async throws {
        let users = BasicAuthUsers(["alice": try await Htpasswd.hash(user: "alice", password: "secret")])
        #expect(await users.authenticate(user: "alice", password: "secret"))
        #expect(users.bcryptRuns == 1)
        #expect(await users.authenticate(user: "alice", password: "secret"))
        #expect(users.bcryptRuns == 1, "the second check must come from the cache")
        #expect(!(await users.authenticate(user: "alice", password: "wrong")))
        #expect(!(await users.authenticate(user: "alice", password: "wrong")))
        #expect(users.bcryptRuns == 3, "wrong passwords are never cached")
        #expect(!(await users.authenticate(user: "alice", password: "secret\0")))
    }

    @Test func unknownUsersPayAFullBcryptRunAtTheHighestCost() async throws {
        let users = BasicAuthUsers([
            "alice": try await Htpasswd.hash(user: "alice", password: "secret", cost: 5),
            "bob": try await Htpasswd.hash(user: "bob", password: "secret", cost: 6),
        ])
        #expect(users.dummySetting.hasPrefix("$2b$06$"))
        #expect(!(await users.authenticate(user: "mallory", password: "secret")))
        #expect(users.bcryptRuns == 1, "an unknown user is checked against the dummy hash")
        // Another user's right password does not open a name that does not exist.
        #expect(!(await users.authenticate(user: "Alice", password: "secret")))
        #expect(await users.authenticate(user: "bob", password: "secret"))
    }

    @Test func cachesArePerInstance() async throws {
        let users = BasicAuthUsers(["alice": try await Htpasswd.hash(user: "alice", password: "secret", cost: 4)])
        let other = BasicAuthUsers(["alice": try await Htpasswd.hash(user: "alice", password: "secret", cost: 4)])
        #expect(await users.authenticate(user: "alice", password: "secret"))
        #expect(await other.authenticate(user: "alice", password: "secret"))
        #expect(other.bcryptRuns == 1, "caches are per instance: a reloaded config starts afresh")
    }

    /// The pool has two threads: bcrypt (~70 ms a run) must not hold one. A timing test of
    /// this is at the mercy of the other suites running in parallel, so check the queue instead.
    @Test func bcryptRunsOnItsOwnQueue() async {
        #expect(!BCryptWorker.isCurrent)
        #expect(await BCryptWorker.run { BCryptWorker.isCurrent })
    }
}
