import CSystem

/// What `atsign_exporter_build_info` and `--version` report.
public enum BuildInfo {
    public static let version = "0.1.0"

    /// Stamped by `scripts/build-release.sh` with `-Xcc -DATSIGN_REVISION="<git sha>"`.
    public static var revision: String { String(cString: csystem_build_revision()) }

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

    public static var versionLine: String {
        "atsign_exporter, version \(version) (revision: \(revision), swift: \(swiftVersion))"
    }
}
