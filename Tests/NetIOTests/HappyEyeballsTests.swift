import CSystem
import TestSupport
import Testing

@testable import NetIO

@Suite struct HappyEyeballsTests {
    /// The first address never answers; the second, tried 250 ms later, wins while the first is
    /// still pending. Connecting in turn used to spend the whole deadline on the first: the
    /// blackhole never answers, so that way this connect would time out however long the
    /// deadline, and a patient one keeps a busy machine from deciding the outcome.
    @Test func aBlackholedFirstAddressDoesNotEatTheDeadline() async throws {
        let blackhole = try await Blackhole()
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let connection = try await TCPConnection.connect(
            toAny: [blackhole.address, listener.address], deadline: .after(Patience.deadline))
        #expect(connection.remoteAddress == listener.address.description)
        #expect(csystem_is_connected(connection.fd) == 1)
    }

    /// A refused attempt starts the next one at once, without waiting for the attempt delay: the
    /// delay outlasts the deadline, so only a next attempt started by the failure can connect.
    @Test func aFailedAttemptStartsTheNextAtOnce() async throws {
        let closed = try RefusedPort()
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let connection = try await TCPConnection.connect(
            toAny: [closed.address, listener.address], deadline: .after(Patience.deadline),
            attemptDelay: Patience.deadline * 2)
        #expect(connection.remoteAddress == listener.address.description)
    }

    @Test func whenEveryAddressFailsTheLastErrorIsThrown() async throws {
        let first = try RefusedPort()
        let second = try RefusedPort()
        await #expect(throws: NetError.self) {
            _ = try await TCPConnection.connect(
                toAny: [first.address, second.address], deadline: .after(Patience.deadline))
        }
    }

    /// Every attempt blackholed: the probe's deadline ends them all, as a timeout.
    @Test func everyAddressBlackholedTimesOutAtTheDeadline() async throws {
        let blackhole = try await Blackhole()
        await #expect(throws: NetError.timeout(operation: "connect to \(blackhole.address)")) {
            _ = try await TCPConnection.connect(
                toAny: [blackhole.address, blackhole.address], deadline: .after(.milliseconds(600)))
        }
    }
}
