import Foundation
import TestSupport

/// Short-lived certificates made at test time by the `openssl` command: NetIO's tests must not
/// depend on the simulator's CA code they help to validate.
struct OpenSSLCertificates {
    let directory: URL
    let caPEM: String
    let leafPEM: String
    let leafKeyPEM: String

    /// A CA and a leaf for `subjectAltName` valid `days` days.
    static func make(subjectAltName: String = "IP:127.0.0.1,DNS:localhost", days: Int = 2) async throws
        -> OpenSSLCertificates
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("netio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let dir = directory.path
        let script = """
            set -e
            cd \(dir)
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
              -days 2 -subj /CN=netio-test-ca -addext basicConstraints=critical,CA:TRUE 2>/dev/null
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr \
              -subj /CN=leaf 2>/dev/null
            printf 'subjectAltName=\(subjectAltName)\\n' > ext.cnf
            openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem \
              -days \(days) -extfile ext.cnf 2>/dev/null
            """
        let run = try await ProcessRunner.run("/bin/sh", ["-c", script])
        guard run.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        func read(_ name: String) throws -> String {
            try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        }
        return OpenSSLCertificates(
            directory: directory, caPEM: try read("ca.pem"), leafPEM: try read("leaf.pem"),
            leafKeyPEM: try read("leaf.key"))
    }
}
