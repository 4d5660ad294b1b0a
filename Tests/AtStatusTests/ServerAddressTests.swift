import Testing

@testable import AtStatus

@Suite struct ServerAddressTests {
    @Test func splitsOnTheLastColon() throws {
        let address = try ServerAddress(parsing: "alice.example.com:6464")
        #expect(address.host == "alice.example.com" && address.port == 6464)
        let v6 = try ServerAddress(parsing: "[::1]:6464")
        #expect(v6.host == "::1" && v6.description == "[::1]:6464")
        let bare6 = try ServerAddress(parsing: "::1:6464")
        #expect(bare6.host == "::1" && bare6.port == 6464)
    }

    @Test(arguments: [
        ("alice.example.com", "missing \":port\""),
        (":6464", "empty host"),
        ("host:0", "port 0 is out of range 1-65535"),
        ("host:65536", "port 65536 is out of range 1-65535"),
        ("host:+64", "the port \"+64\" is not a number"),
        ("host:abc", "the port \"abc\" is not a number"),
        ("ho st:64", "the host holds a forbidden \" \""),
    ])
    func rejects(text: String, problem: String) {
        #expect {
            _ = try ServerAddress(parsing: text)
        } throws: { error in
            (error as? AddressError)?.description.contains(problem) ?? false
        }
    }

    @Test func proxyRoots() throws {
        #expect(
            try RootAddress(parsing: "proxy:127.0.0.1:6464") == .proxy(ServerAddress(host: "127.0.0.1", port: 6464)))
        #expect(try RootAddress(parsing: "root.atsign.org:64") == .default)
        #expect(RootAddress.default.description == "root.atsign.org:64")
    }

    @Test func serverRepliesAreDecoded() throws {
        #expect(try ServerReply(Array("data:null".utf8), command: "lookup").payload == "null")
        #expect(try ServerReply(Array(#"data:["a","b"]"#.utf8), command: "scan").keyNames() == ["a", "b"])
        #expect(throws: ServerReplyError.self) { try ServerReply(Array("error:AT0003-x".utf8), command: "scan") }
        #expect(throws: ServerReplyError.self) { try ServerReply([0x64, 0xFF], command: "scan") }
        #expect(throws: ServerReplyError.self) { try ServerReply(Array("data:{}".utf8), command: "scan").keyNames() }
        let (version, uptime) = ServerReply.parseInfo(Array(#"data:{"version":"3.0.52","uptimeAsMillis":1500}"#.utf8))
        #expect(version == "3.0.52" && uptime == 1.5)
    }
}
