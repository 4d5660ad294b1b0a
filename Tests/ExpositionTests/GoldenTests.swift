import Foundation
import Testing

@testable import Exposition

/// Byte-for-byte comparison with the fixtures; `EXPOSITION_UPDATE_GOLDEN=1` rewrites them.
@Suite struct GoldenTests {
    @Test(arguments: [
        (ExpositionFormat.prometheusText, "sample.prom"),
        (ExpositionFormat.openMetrics, "sample.om.txt"),
    ])
    func matchesFixture(format: ExpositionFormat, file: String) throws {
        let (bytes, report) = format.render(try GoldenFamilies.make())
        #expect(report.isClean)
        if ProcessInfo.processInfo.environment["EXPOSITION_UPDATE_GOLDEN"] == "1" {
            let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
                "Fixtures")
            try Data(bytes).write(to: directory.appendingPathComponent(file))
        }
        let parts = file.split(separator: ".", maxSplits: 1).map(String.init)
        let url = try #require(
            Bundle.module.url(forResource: parts[0], withExtension: parts[1], subdirectory: "Fixtures"))
        let expected = try Data(contentsOf: url)
        #expect(
            Array(expected) == bytes,
            "rendered:\n\(String(decoding: bytes, as: UTF8.self))"
        )
    }

    @Test func renderingIsStableAcrossInputOrder() throws {
        let families = try GoldenFamilies.make()
        for format in ExpositionFormat.allCases {
            #expect(format.render(families).bytes == format.render(families.reversed()).bytes)
        }
    }

    @Test func renderAppendsToExistingBuffer() throws {
        var buffer = Array("prefix\n".utf8)
        ExpositionFormat.prometheusText.render(try GoldenFamilies.make(), into: &buffer)
        let alone = ExpositionFormat.prometheusText.render(try GoldenFamilies.make()).bytes
        #expect(buffer == Array("prefix\n".utf8) + alone)
    }
}
