import Testing

@testable import Basics

@Suite struct HostPortTests {
    @Test(arguments: [
        ("localhost:9713", "localhost", 9713), (":9713", "", 9713), ("[::1]:64", "::1", 64),
        ("10.0.0.1:0", "10.0.0.1", 0),
    ])
    func splits(text: String, host: String, port: Int) throws {
        let split = try HostPort.split(text, ports: 0...65535)
        #expect(split.host == host && split.port == port)
        #expect(HostPort.format(host: split.host, port: split.port) == text)
    }

    @Test func bareIPv6SplitsOnTheLastColonWhenAllowed() throws {
        #expect(try HostPort.split("::1:6464", ports: 1...65535, bareIPv6: true) == ("::1", 6464))
        #expect(throws: HostPort.Problem(why: "an IPv6 host needs brackets, e.g. [::1]:9713")) {
            try HostPort.split("::1:6464", ports: 1...65535)
        }
    }

    @Test(arguments: [
        ("host", "missing \":port\""), ("[::1:64", "\"[\" without a closing \"]\""),
        ("[::1]64", "missing \":port\" after \"]\""), ("a b:1", "the host holds a forbidden \" \""),
        ("h\n:1", "the host holds a forbidden \"\\n\""), ("h:x1", "the port \"x1\" is not a number"),
        ("h:", "the port \"\" is not a number"), ("h:0", "port 0 is out of range 1-65535"),
        ("[[x]]:1", "missing \":port\" after \"]\""), ("[x[]:1", "the host holds a forbidden \"[\""),
    ])
    func refuses(text: String, why: String) {
        #expect(throws: HostPort.Problem(why: why)) { try HostPort.split(text, ports: 1...65535) }
    }
}

@Suite struct WallTimeTests {
    @Test func rfc3339AcrossEras() {
        #expect(WallTime.rfc3339(unixSeconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(WallTime.rfc3339(unixSeconds: 951_782_400.5) == "2000-02-29T00:00:00.500Z")
        #expect(WallTime.rfc3339(unixSeconds: -0.001) == "1969-12-31T23:59:59.999Z")
    }

    @Test func imfFixdateMatchesRFC9110sExample() {
        #expect(WallTime.imfFixdate(unixSeconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(WallTime.imfFixdate(unixSeconds: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(WallTime.imfFixdate(unixSeconds: -86_400) == "Wed, 31 Dec 1969 00:00:00 GMT")
    }

    @Test func nowIsAfterThisCodeWasWritten() {
        #expect(WallTime.now() > 1_790_000_000)
    }
}

@Suite struct QuotingTests {
    @Test func escapesAndCuts() {
        #expect("a\"b\\\n\u{7F}".debugEscaped == "a\\\"b\\\\\\n\\u{7f}")
        #expect("abcdef".quotedForMessage(limit: 3) == "\"abc…\"")
        #expect("é\t".quotedForMessage() == "\"é\\t\"")
    }
}

@Suite struct TextFileTests {
    @Test func readsAndNamesFailures() throws {
        #expect(try TextFile.read("/proc/sys/kernel/ostype") == "Linux\n")
        #expect(throws: FileReadError(path: "/nonexistent", reason: "No such file or directory")) {
            try TextFile.read("/nonexistent")
        }
    }
}
