import Basics
import Glibc
import Synchronization
import Testing

@testable import Exporter

/// A sink that keeps lines in memory.
final class CollectedLogLines: Sendable {
    private let storage = Mutex<[String]>([])

    var lines: [String] { storage.withLock { $0 } }

    var sink: LogSink { LogSink { line in self.storage.withLock { $0.append(line) } } }
}

/// 2024-02-29T13:14:15.678Z
let loggerTestTime: Double = 1_709_212_455.678_9

@Suite struct LoggerTests {
    func logger(_ level: LogLevel = .info, _ format: LogFormat = .logfmt) -> (Logger, CollectedLogLines) {
        let lines = CollectedLogLines()
        return (Logger(level: level, format: format, sink: lines.sink, clock: { loggerTestTime }), lines)
    }

    @Test func writesLogfmtLines() {
        let (log, lines) = logger()
        log.info(
            "probe round finished", ["atsigns": 3, "duration_seconds": 0.25, "ok": true, "root": "root.atsign.org:64"])
        #expect(
            lines.lines == [
                "ts=2024-02-29T13:14:15.678Z level=info msg=\"probe round finished\" atsigns=3 duration_seconds=0.25 "
                    + "ok=true root=root.atsign.org:64"
            ])
    }

    @Test func writesJSONLines() {
        let (log, lines) = logger(.debug, .json)
        log.warn("reload failed", ["error": "bad \"x\"\n", "count": 2, "took": Duration.milliseconds(1500)])
        #expect(
            lines.lines == [
                #"{"ts":"2024-02-29T13:14:15.678Z","level":"warn","msg":"reload failed","error":"bad \"x\"\n","count":2,"took":1.5}"#
            ])
    }

    @Test func quotesAndEscapesLogfmtValues() {
        #expect(LogLine.logfmtValue("plain") == "plain")
        #expect(LogLine.logfmtValue("") == "\"\"")
        #expect(LogLine.logfmtValue("two words") == "\"two words\"")
        #expect(LogLine.logfmtValue("a=b") == "\"a=b\"")
        #expect(LogLine.logfmtValue("say \"hi\"") == #""say \"hi\"""#)
        #expect(LogLine.logfmtValue("line\nbreak\ttab") == #""line\nbreak\ttab""#)
        #expect(LogLine.logfmtValue("back\\slash") == "back\\slash")
        #expect(LogLine.logfmtValue("bell\u{7}") == #""bell\u0007""#)
        #expect(LogLine.logfmtValue("@émoji😀") == "@émoji😀")
        #expect(LogLine.logfmtKey("bad key=") == "bad_key_")
        #expect(LogLine.logfmtKey("") == "_")
    }

    @Test func escapesJSONStrings() {
        #expect(LogLine.jsonString("a\"b\\c\u{1}\r") == #""a\"b\\c\u0001\r""#)
        #expect(LogLine.json([("k", .string("v")), ("n", .literal("1"))]) == #"{"k":"v","n":1}"#)
    }

    @Test func filtersByLevelAndCanChangeIt() {
        let (log, lines) = logger(.warn)
        log.debug("d")
        log.info("i")
        log.warn("w")
        log.error("e")
        #expect(lines.lines.map { $0.split(separator: " ")[1] } == ["level=warn", "level=error"])
        log.setLevel(.debug)
        #expect(log.level == .debug && log.isEnabled(.debug))
        log.debug("d")
        #expect(lines.lines.count == 3)
    }

    @Test func otherValuesUseTheirDescription() {
        let (log, lines) = logger()
        log.info("x", ["level2": LogLevel.warn, "nan": Double.nan])
        #expect(lines.lines.first?.hasSuffix(" level2=warn nan=nan") == true)
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"), (951_782_400.5, "2000-02-29T00:00:00.500Z"),
        (-1.0, "1969-12-31T23:59:59.000Z"), (4_102_444_799.999, "2099-12-31T23:59:59.999Z"),
        (loggerTestTime, "2024-02-29T13:14:15.678Z"),
    ])
    func formatsRFC3339WithMilliseconds(seconds: Double, text: String) {
        #expect(WallTime.rfc3339(unixSeconds: seconds) == text)
    }

    @Test func linesFromManyThreadsStayWholeOnAPipe() async throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let log = Logger(sink: .fileDescriptor(ends[1]), clock: { loggerTestTime })
        let padding = String(repeating: "x", count: 60)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask { for index in 0..<50 { log.info("m", ["task": task, "i": index, "pad": padding]) } }
            }
        }
        close(ends[1])
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while case let count = chunk.withUnsafeMutableBytes({ read(ends[0], $0.baseAddress, $0.count) }), count > 0 {
            bytes += chunk[..<count]
        }
        close(ends[0])
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 400)
        let pattern = /ts=\S+ level=info msg=m task=\d i=\d+ pad=x{60}/
        #expect(lines.allSatisfy { $0.wholeMatch(of: pattern) != nil })
    }
}
