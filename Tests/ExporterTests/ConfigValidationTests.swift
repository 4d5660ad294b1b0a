import AtStatus
import Testing
import WebServer

@testable import Exporter

@Suite struct ConfigValidationTests {
    @Test(arguments: [
        ("127.0.0.1:9713", "127.0.0.1", 9713), (":0", "", 0), ("[::1]:65535", "::1", 65535),
        ("localhost:80", "localhost", 80), ("[::]:9713", "::", 9713),
    ])
    func parsesListenAddresses(text: String, host: String, port: Int) throws {
        let address = try ListenAddress.parsingFlag(text)
        #expect(address.host == host && address.port == port)
        #expect(address.description == text)
    }

    @Test(arguments: [
        ("localhost", "missing \":port\""), (":65536", "port 65536 is out of range 0-65535"),
        (":http", "the port \"http\" is not a number"), (":", "the port \"\" is not a number"),
        ("::1:9713", "an IPv6 host needs brackets, e.g. [::1]:9713"), ("[::1:9713", "\"[\" without a closing \"]\""),
        ("[::1]9713", "missing \":port\" after \"]\""), ("a b:1", "the host holds a forbidden \" \""),
        (":-1", "the port \"-1\" is not a number"),
    ])
    func rejectsBadListenAddresses(text: String, why: String) {
        #expect(throws: ValueProblemError(what: "invalid listen address \"\(text)\"", why: why)) {
            try ListenAddress.parsingFlag(text)
        }
    }

    @Test func parsesRootAddresses() throws {
        #expect(try RootAddress.parsingFlag("root.atsign.org:64") == .default)
        let proxy = try RootAddress.parsingFlag("proxy:[::1]:6464")
        #expect(proxy == .proxy(ServerAddress(host: "::1", port: 6464)))
        #expect(proxy.description == "proxy:[::1]:6464")
    }

    @Test(arguments: [
        ("root.atsign.org", "missing \":port\""), ("root:0", "port 0 is out of range 1-65535"),
        (":64", "the host is missing (write host:port or proxy:host:port)"), ("proxy:64", "missing \":port\""),
        ("root:65536", "port 65536 is out of range 1-65535"),
    ])
    func rejectsBadRootAddresses(text: String, why: String) {
        #expect(
            settingsError(["--root.address", text]) == "invalid root address \"\(text)\" for --root.address: \(why)")
    }

    @Test func shardMustBeBelowTotalShards() throws {
        #expect(
            settingsError(["--shard=2", "--total-shards=2"]) == """
                --shard 2 is out of range for --total-shards 2: shards are numbered 0 to 1
                """)
        #expect(
            settingsError(["--total-shards=0"])
                == "invalid number \"0\" for --total-shards: it is out of range 1-2147483647")
        #expect(settingsError(["--shard=-1"]) == "invalid number \"-1\" for --shard: it is out of range 0-2147483647")
        #expect(try loadSettings(["--shard=2", "--total-shards=3"]).shard == 2)
    }

    @Test func intervalMayNotBeShorterThanTimeout() throws {
        #expect(
            settingsError(["--probe.interval=5s"]) == """
                --probe.interval (5s) is shorter than --probe.timeout (10s): a probe must be able to end before the next starts
                """)
        #expect(try loadSettings(["--probe.interval=10s"]).probeInterval == .seconds(10))
        #expect(try loadSettings(["check", "@a", "--probe.timeout=2m"]).probeTimeout == .seconds(120))
    }

    @Test func listenAddressesMayNotRepeat() {
        #expect(
            settingsError(["--web.listen-address=:1", "--web.listen-address=:1"]) == """
                --web.listen-address ":1" is given twice
                """)
    }

    /// Matching them against a location is the checker's (FaultTargetTests).
    @Test func allowedDomainsAreNormalised() throws {
        let settings = try loadSettings(["--probe.allowed-domains=Atsign.wtf", "--probe.allowed-domains=.example.org"])
        #expect(settings.allowedDomains == ["atsign.wtf", "example.org"])
    }
}
