// swift-tools-version:6.2
import PackageDescription

/// Zero package dependencies by design: only the toolchain and Debian's C libraries.
let strict: [SwiftSetting] = [.unsafeFlags(["-warnings-as-errors"])]

let package = Package(
    name: "atsign_exporter",
    products: [
        .executable(name: "atsign_exporter", targets: ["atsign_exporter"]),
        .executable(name: "atsign_sim", targets: ["atsign_sim"]),
        .executable(name: "atsign_bench", targets: ["atsign_bench"]),
    ],
    targets: [
        .target(name: "CSystem"),
        // Small things every layer needs once: file reading, host:port, durations, time, quoting.
        .target(name: "Basics", swiftSettings: strict),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypt", pkgConfig: "libcrypt", providers: [.apt(["libcrypt-dev"])]),
        // libyaml-dev's header only: no pkgConfig and no `link` in the module map, since either
        // adds -lyaml, which the linker resolves to libyaml-0.so.2 (issue 13: the release binary
        // must run on Debian with only libssl3, zlib1g and libcrypt1).
        .systemLibrary(name: "CYAML"),
        // The one reader of config text (YAML and JSON), for the exporter's and the web config.
        // libyaml is linked in from libyaml-dev's libyaml.a (PIC) in every build, so the tests
        // run the linkage that ships. -l: puts it after the objects, where the archive is searched.
        .target(
            name: "ConfigText", dependencies: ["CYAML"], swiftSettings: strict,
            linkerSettings: [.linkedLibrary(":libyaml.a")]),
        .target(name: "NetIO", dependencies: ["CSystem", "COpenSSL"], swiftSettings: strict),
        .target(name: "AtStatus", dependencies: ["Basics", "NetIO"], swiftSettings: strict),
        .target(name: "Exposition", dependencies: ["Basics"], swiftSettings: strict),
        .target(name: "WebServer", dependencies: ["Basics", "ConfigText", "NetIO", "CZlib", "CCrypt", "COpenSSL"], swiftSettings: strict),
        .target(name: "AtSimulator", dependencies: ["Basics", "ConfigText", "NetIO", "COpenSSL", "AtStatus"], swiftSettings: strict),
        .target(
            name: "Exporter",
            dependencies: ["AtStatus", "Basics", "ConfigText", "Exposition", "WebServer", "NetIO", "CSystem"],
            swiftSettings: strict
        ),
        // Helpers shared by the test targets only (child processes off the cooperative pool).
        .target(name: "TestSupport", dependencies: ["NetIO"], swiftSettings: strict),
        .executableTarget(
            name: "atsign_exporter", dependencies: ["Exporter", "AtSimulator", "AtStatus", "NetIO"], swiftSettings: strict),
        .executableTarget(name: "atsign_sim", dependencies: ["AtSimulator", "NetIO"], swiftSettings: strict),
        .executableTarget(
            name: "atsign_bench", dependencies: ["Exporter", "AtSimulator", "AtStatus", "NetIO", "WebServer"],
            swiftSettings: strict),
        // libFuzzer harnesses (scripts/fuzz.sh); a plain build makes them corpus replayers.
        .target(name: "FuzzSupport", swiftSettings: strict),
        .executableTarget(name: "FuzzHTTPParser", dependencies: ["FuzzSupport", "WebServer"], swiftSettings: strict),
        .executableTarget(name: "FuzzRootReply", dependencies: ["FuzzSupport", "AtStatus"], swiftSettings: strict),
        .executableTarget(name: "FuzzServerReply", dependencies: ["FuzzSupport", "AtStatus"], swiftSettings: strict),
        .executableTarget(name: "FuzzConfig", dependencies: ["FuzzSupport", "Exporter"], swiftSettings: strict),
        .testTarget(name: "BasicsTests", dependencies: ["Basics"]),
        .testTarget(name: "ConfigTextTests", dependencies: ["ConfigText"]),
        .testTarget(name: "NetIOTests", dependencies: ["NetIO", "AtSimulator", "TestSupport"]),
        .testTarget(name: "AtStatusTests", dependencies: ["AtStatus", "AtSimulator", "NetIO", "TestSupport"]),
        .testTarget(name: "ExpositionTests", dependencies: ["Exposition"], resources: [.copy("Fixtures")]),
        .testTarget(name: "WebServerTests", dependencies: ["WebServer", "NetIO", "TestSupport"]),
        .testTarget(name: "AtSimulatorTests", dependencies: ["AtSimulator", "AtStatus", "NetIO", "TestSupport"]),
        .testTarget(
            name: "ExporterTests", dependencies: ["AtSimulator", "AtStatus", "Basics", "Exporter", "TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "EndToEndTests", dependencies: ["AtSimulator", "NetIO", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
