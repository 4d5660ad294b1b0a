import Basics
import ConfigText
import NetIO

/// A `--web.config.file` in the Prometheus exporter-toolkit format (YAML, or JSON read
/// strictly): TLS for the HTTP server and basic-auth users with bcrypt hashes.
///
/// Fields the toolkit knows but this server does not apply are accepted with a warning when
/// ignoring them is safe (`http2`, `headers`, `cipher_suites`, …), and refused when it would
/// weaken what the file asks for (`client_allowed_sans`, the weaker client auth types).
public struct WebConfig: Sendable, Equatable {
    /// `tls_server_config.client_auth_type`: the two policies worth having; the toolkit's others
    /// accept unverified or missing client certificates.
    public enum ClientAuth: String, Sendable, Equatable {
        case noClientCert = "NoClientCert"
        case requireAndVerifyClientCert = "RequireAndVerifyClientCert"
    }

    public struct TLSServer: Sendable, Equatable {
        /// Absolute, or relative to the working directory when the config path was.
        public var certFile: String
        public var keyFile: String
        public var clientAuth: ClientAuth
        /// Set exactly when `clientAuth` is `.requireAndVerifyClientCert`.
        public var clientCAFile: String?
        public var minimumVersion: TLSVersion
        /// Where each field was written, for errors found when the files are read.
        var lines: [String: Int]
    }

    /// The file it was read from, as given.
    public var path: String
    /// nil: plain HTTP.
    public var tls: TLSServer?
    /// User name → bcrypt hash; empty: no authentication.
    public var basicAuthUsers: [String: String]
    /// Fields accepted but not applied, each a sentence naming the field, for the log.
    public var warnings: [String]

    /// Reads and checks the file at `path`. Relative paths inside it are taken relative to its
    /// directory, as the exporter-toolkit does. Reads the file synchronously (it is small): call it
    /// at startup or on reload, not per request.
    public static func load(path: String) throws(WebConfigError) -> WebConfig {
        let text: String
        do {
            text = try TextFile.read(path)
        } catch {
            throw WebConfigError(file: path, message: "cannot read the file: \(error.reason)")
        }
        return try parse(text, path: path)
    }

    /// Parses a config's text; `path` names it in errors and anchors its relative paths.
    public static func parse(_ text: String, path: String) throws(WebConfigError) -> WebConfig {
        let root: ConfigNode
        do {
            let isJSON = text.drop { $0.isWhitespace }.first == "{"
            root = try ConfigReader.parse(text, syntax: isJSON ? .json : .yaml)
        } catch {
            throw WebConfigError(file: path, line: error.line, message: error.message)
        }
        var decoder = WebConfigDecoder(file: path, directory: directory(of: path))
        return try decoder.decode(root)
    }

    /// The directory part of `path` with its trailing slash, "" for a bare file name.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }
}
