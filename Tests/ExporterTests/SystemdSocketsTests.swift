import Testing

@testable import Exporter

@Suite struct SystemdSocketsTests {
    @Test func descriptorsFollowSdListenFds() throws {
        #expect(try SystemdSockets.descriptors(listenPID: "42", listenFDs: "2", pid: 42) == [3, 4])
        #expect(try SystemdSockets.descriptors(listenPID: "42", listenFDs: "1", pid: 42) == [3])
    }

    @Test func refusesSocketsMeantForAnotherProcessOrMissing() {
        #expect(throws: ConfigError.self) { try SystemdSockets.descriptors(listenPID: "41", listenFDs: "1", pid: 42) }
        #expect(throws: ConfigError.self) { try SystemdSockets.descriptors(listenPID: nil, listenFDs: "1", pid: 42) }
        #expect(throws: ConfigError.self) { try SystemdSockets.descriptors(listenPID: "42", listenFDs: "0", pid: 42) }
        #expect(throws: ConfigError.self) { try SystemdSockets.descriptors(listenPID: "42", listenFDs: "x", pid: 42) }
        #expect(throws: ConfigError.self) { try SystemdSockets.descriptors(listenPID: "42", listenFDs: nil, pid: 42) }
    }
}
