import Foundation
import Testing

@testable import Exporter

@Suite struct BuildInfoTests {
    /// The repository's VERSION file, the one place the version is written.
    static var versionFile: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("VERSION"), encoding: .utf8)) ?? ""
    }

    @Test func versionIsTheVersionFileAndSemantic() {
        let written = Self.versionFile.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!written.isEmpty, "VERSION is missing or empty")
        #expect(BuildInfo.version == written)
        let semver = #/^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/#
        #expect(BuildInfo.version.wholeMatch(of: semver) != nil, "\(BuildInfo.version) is not a semantic version")
    }

    @Test func versionTextHasThePrometheusLayout() {
        let lines = BuildInfo.versionText.split(separator: "\n").map(String.init)
        #expect(
            lines.first
                == "atsign_exporter, version \(BuildInfo.version) (branch: \(BuildInfo.branch), "
                + "revision: \(BuildInfo.revision))")
        #expect(
            Array(lines.dropFirst())
                == [
                    "  build user:       \(BuildInfo.buildUser)", "  build date:       \(BuildInfo.buildDate)",
                    "  swift version:    \(BuildInfo.swiftVersion)", "  platform:         \(BuildInfo.platform)",
                ])
    }

    @Test func buildInfoMetricCarriesTheSameFacts() {
        let labels = Dictionary(uniqueKeysWithValues: BuildInfo.labels.pairs)
        #expect(labels["version"] == BuildInfo.version)
        #expect(labels["revision"] == BuildInfo.revision)
        #expect(labels["branch"] == BuildInfo.branch)
        #expect(labels["builddate"] == BuildInfo.buildDate)
        #expect(labels["builduser"] == BuildInfo.buildUser)
        #expect(labels["swiftversion"] == BuildInfo.swiftVersion)
        #expect(labels["platform"] == BuildInfo.platform)
    }
}
