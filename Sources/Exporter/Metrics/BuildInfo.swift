import CSystem

/// What `atsign_exporter_build_info` and `--version` report.
///
/// The version has one home, the repository's `VERSION` file, which the C target embeds at
/// compile time; `scripts/build-release.sh` stamps the revision, branch, user and date.
public enum BuildInfo {
    public static var version: String { trimmed(csystem_build_version_file()) }
    public static var revision: String { trimmed(csystem_build_revision()) }
    public static var branch: String { trimmed(csystem_build_branch()) }
    public static var buildUser: String { trimmed(csystem_build_user()) }
    public static var buildDate: String { trimmed(csystem_build_date()) }

    public static var swiftVersion: String {
        #if compiler(>=6.4)
            "6.4"
        #elseif compiler(>=6.3)
            "6.3"
        #elseif compiler(>=6.2)
            "6.2"
        #else
            "6"
        #endif
    }

    /// `os/arch` with Go's architecture names, as Prometheus release names and `--version` use.
    public static var platform: String {
        #if arch(x86_64)
            "linux/amd64"
        #elseif arch(arm64)
            "linux/arm64"
        #else
            "linux/unknown"
        #endif
    }

    /// The labels of `atsign_exporter_build_info` for this binary.
    public static var labels: BuildLabels {
        BuildLabels(
            version: version, revision: revision, swift: swiftVersion, branch: branch, buildUser: buildUser,
            buildDate: buildDate, platform: platform)
    }

    /// `--version`, laid out as the Prometheus projects print theirs.
    public static var versionText: String {
        """
        atsign_exporter, version \(version) (branch: \(branch), revision: \(revision))
          build user:       \(buildUser)
          build date:       \(buildDate)
          swift version:    \(swiftVersion)
          platform:         \(platform)
        """
    }

    private static func trimmed(_ text: UnsafePointer<CChar>) -> String {
        let value = String(cString: text).drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()
        return value.isEmpty ? "unknown" : String(value)
    }
}

/// The labels of `atsign_exporter_build_info`: exporter-toolkit's (version, revision, branch,
/// the compiler's version) plus when, by whom and for which platform it was built.
public struct BuildLabels: Sendable, Equatable {
    public var version: String
    public var revision: String
    public var swift: String
    public var branch = "unknown"
    public var buildUser = "unknown"
    public var buildDate = "unknown"
    public var platform = "linux/amd64"

    public var pairs: [(String, String)] {
        [
            ("version", version), ("revision", revision), ("swiftversion", swift), ("branch", branch),
            ("builduser", buildUser), ("builddate", buildDate), ("platform", platform),
        ]
    }
}
