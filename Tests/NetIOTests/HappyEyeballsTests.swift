import CSystem
import Testing

@testable import NetIO

@Suite struct HappyEyeballsTests {
    /// The first address never answers; the second, tried 250 ms later, wins well before the
    /// deadline (connecting in turn used to spend the whole deadline on the first).
    @Test func aBlackholedFirstAddressDoesNotEatTheDeadline() async throws {
        let blackhole = try await Blackhole()
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let connection = try await TCPConnection.connect(
            toAny: [blackhole.address, listener.address], deadline: .after(.seconds(3)))
        #expect(connection.remoteAddress == listener.address.description)
        #expect(csystem_is_connected(connection.fd) == 1)
    }

    /// A refused attempt starts the next one at once, without waiting for the attempt delay.
    @Test func aFailedAttemptStartsTheNextAtOnce() async throws {
        let closed = try TCPListener(host: "127.0.0.1", port: 0)
        closed.close()
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let connection = try await TCPConnection.connect(
            toAny: [closed.address, listener.address], deadline: .after(.seconds(10)), attemptDelay: .seconds(60))
        #expect(connection.remoteAddress == listener.address.description)
    }

    @Test func whenEveryAddressFailsTheLastErrorIsThrown() async throws {
        let first = try TCPListener(host: "127.0.0.1", port: 0)
        let second = try TCPListener(host: "127.0.0.1", port: 0)
        first.close()
        second.close()
        await #expect(throws: NetError.self) {
            _ = try await TCPConnection.connect(toAny: [first.address, second.address], deadline: .after(.seconds(10)))
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
