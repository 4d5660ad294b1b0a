import Foundation

/// Short-lived certificates made at test time by the `openssl` command, in a directory of their
/// own: a CA (`ca.pem`, `ca.key`) and leaves it signed (`NAME.pem`, `NAME.key`). The one place
/// tests make certificates; NetIO's tests use it because they must not depend on the simulator's
/// CA code they help to validate.
public struct TestCertificates: Sendable {
    public struct Leaf: Sendable {
        public var name: String
        /// e.g. `IP:127.0.0.1,DNS:localhost`; nil for a client certificate.
        public var subjectAltName: String?
        /// `serverAuth`, `clientAuth`, or nil for no extended key usage.
        public var usage: String?

        public init(_ name: String, subjectAltName: String? = "IP:127.0.0.1,DNS:localhost", usage: String? = nil) {
            self.name = name
            self.subjectAltName = subjectAltName
            self.usage = usage
        }
    }

    public let directory: String

    public static func make(leaves: [Leaf] = [Leaf("leaf")], days: Int = 1) async throws -> TestCertificates {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var script = """
            set -e
            cd '\(directory.path)'
            key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
            key ca.key
            openssl req -x509 -key ca.key -out ca.pem -days \(days) -subj /CN=test-ca \
              -addext basicConstraints=critical,CA:TRUE 2>/dev/null

            """
        for leaf in leaves {
            let extensions = [
                leaf.subjectAltName.map { "subjectAltName=\($0)" }, leaf.usage.map { "extendedKeyUsage=\($0)" },
            ].compactMap { $0 }
            script += """
                key \(leaf.name).key
                openssl req -new -key \(leaf.name).key -out \(leaf.name).csr -subj /CN=\(leaf.name) 2>/dev/null
                printf '\(extensions.joined(separator: "\\n"))\\n' > \(leaf.name).ext
                openssl x509 -req -in \(leaf.name).csr -CA ca.pem -CAkey ca.key -CAcreateserial -days \(days) \
                  -extfile \(leaf.name).ext -out \(leaf.name).pem 2>/dev/null

                """
        }
        let run = try await ProcessRunner.run("/bin/sh", ["-c", script])
        guard run.status == 0 else { throw CertificateFailure(description: "openssl failed: \(run.combined)") }
        return TestCertificates(directory: directory.path)
    }

    /// Certificates for the duration of `body`, removed afterwards whatever happens.
    public static func with<T>(
        leaves: [Leaf] = [Leaf("leaf")], days: Int = 1, _ body: (TestCertificates) async throws -> T
    ) async throws -> T {
        let certificates = try await make(leaves: leaves, days: days)
        defer { certificates.remove() }
        return try await body(certificates)
    }

    public func path(_ name: String) -> String { directory + "/" + name }

    public func text(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    public func remove() { try? FileManager.default.removeItem(atPath: directory) }
}

public struct CertificateFailure: Error, CustomStringConvertible {
    public let description: String
}
