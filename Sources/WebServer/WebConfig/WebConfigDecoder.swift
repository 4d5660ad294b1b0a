import ConfigText
import NetIO

/// Turns a parsed config tree into a `WebConfig`, checking every key against the
/// exporter-toolkit schema; each error names the file, the line and the field.
struct WebConfigDecoder {
    let file: String
    /// Prefix for relative paths: the config file's directory.
    let directory: String
    var warnings: [String] = []

    mutating func decode(_ root: ConfigNode) throws(WebConfigError) -> WebConfig {
        var config = WebConfig(path: file, tls: nil, basicAuthUsers: [:], warnings: [])
        for entry in try mapping(root, field: nil) {
            switch entry.key {
            case "tls_server_config": config.tls = try decodeTLS(entry.node)
            case "http_server_config": try decodeHTTPServer(entry.node)
            case "basic_auth_users": config.basicAuthUsers = try decodeUsers(entry.node)
            case "rate_limit":
                warn("rate_limit", "is ignored: this server does not rate-limit (see --web.max-connections)")
            default: throw unknownKey(entry, in: nil)
            }
        }
        config.warnings = warnings
        return config
    }

    private mutating func decodeTLS(_ node: ConfigNode) throws(WebConfigError) -> WebConfig.TLSServer? {
        let field = "tls_server_config"
        var values: [String: String] = [:]
        var lines: [String: Int] = [field: node.line]
        for entry in try mapping(node, field: field) {
            let path = "\(field).\(entry.key)"
            lines[entry.key] = entry.node.line
            switch entry.key {
            case "cert_file", "key_file", "client_ca_file", "client_auth_type", "min_version", "max_version":
                values[entry.key] = try string(entry.node, field: path)
            case "cipher_suites", "curve_preferences", "prefer_server_cipher_suites":
                warn(path, "is ignored: OpenSSL's defaults apply")
            case "cert", "key", "client_ca":
                throw error(entry.node, path, "inline PEM is not supported; put it in a file and use \(entry.key)_file")
            case "client_allowed_sans":
                throw error(entry.node, path, "is not supported; it cannot be ignored without admitting more clients")
            default: throw unknownKey(entry, in: field)
            }
        }
        let certFile = values["cert_file"].flatMap { $0.isEmpty ? nil : $0 }
        let keyFile = values["key_file"].flatMap { $0.isEmpty ? nil : $0 }
        guard certFile != nil || keyFile != nil else {
            if !values.isEmpty { warn(field, "has neither cert_file nor key_file, so TLS is off (plain HTTP)") }
            return nil
        }
        guard let certFile else { throw error(node, field, "missing cert_file (key_file is set)") }
        guard let keyFile else { throw error(node, field, "missing key_file (cert_file is set)") }
        let clientAuth = try decodeClientAuth(values, lines: lines)
        if let maxVersion = values["max_version"], maxVersion != "TLS13" {
            warn("\(field).max_version", "\(maxVersion) is ignored: TLS 1.3 stays enabled")
        }
        return WebConfig.TLSServer(
            certFile: resolve(certFile), keyFile: resolve(keyFile), clientAuth: clientAuth,
            clientCAFile: values["client_ca_file"].flatMap { $0.isEmpty ? nil : resolve($0) },
            minimumVersion: try decodeVersion(values["min_version"], line: lines["min_version"]), lines: lines)
    }

    private func decodeClientAuth(_ values: [String: String], lines: [String: Int]) throws(WebConfigError)
        -> WebConfig.ClientAuth
    {
        let field = "tls_server_config.client_auth_type"
        let name = values["client_auth_type"].flatMap { $0.isEmpty ? nil : $0 } ?? "NoClientCert"
        let line = lines["client_auth_type"] ?? lines["tls_server_config"]
        func fail(_ message: String) -> WebConfigError {
            WebConfigError(file: file, line: line, field: field, message: message)
        }
        guard let clientAuth = WebConfig.ClientAuth(rawValue: name) else {
            if ["RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven"].contains(name) {
                throw fail(
                    "\(name) is not supported: it accepts unverified or missing client certificates; "
                        + "use RequireAndVerifyClientCert")
            }
            throw fail("unknown value \"\(name)\"; use NoClientCert or RequireAndVerifyClientCert")
        }
        let hasCA = values["client_ca_file"].map { !$0.isEmpty } ?? false
        if clientAuth == .requireAndVerifyClientCert && !hasCA {
            throw fail("RequireAndVerifyClientCert needs client_ca_file")
        }
        if clientAuth == .noClientCert && hasCA {
            throw fail("client_ca_file is set but client_auth_type is NoClientCert; use RequireAndVerifyClientCert")
        }
        return clientAuth
    }

    private mutating func decodeVersion(_ name: String?, line: Int?) throws(WebConfigError) -> TLSVersion {
        let field = "tls_server_config.min_version"
        switch name {
        case nil, "TLS12": return .tls12
        case "TLS13": return .tls13
        case "TLS10", "TLS11":
            warn(field, "\(name!) is raised to TLS12, the lowest version this server speaks")
            return .tls12
        default:
            throw WebConfigError(
                file: file, line: line, field: field, message: "unknown version \"\(name!)\"; use TLS12 or TLS13")
        }
    }

    private mutating func decodeHTTPServer(_ node: ConfigNode) throws(WebConfigError) {
        for entry in try mapping(node, field: "http_server_config") {
            let path = "http_server_config.\(entry.key)"
            switch entry.key {
            case "http2": warn(path, "is ignored: this server speaks HTTP/1.1 only")
            case "headers": warn(path, "is ignored: extra response headers are not supported")
            default: throw unknownKey(entry, in: "http_server_config")
            }
        }
    }

    private func decodeUsers(_ node: ConfigNode) throws(WebConfigError) -> [String: String] {
        var users: [String: String] = [:]
        for entry in try mapping(node, field: "basic_auth_users") {
            let path = "basic_auth_users.\(entry.key)"
            let hash = try string(entry.node, field: path)
            guard BCrypt.cost(of: hash) != nil else {
                throw error(entry.node, path, "not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04 to 31, 60 characters)")
            }
            users[entry.key] = hash
        }
        return users
    }

    // MARK: Helpers

    private func mapping(_ node: ConfigNode, field: String?) throws(WebConfigError) -> [ConfigEntry] {
        switch node.value {
        case .null: return []
        // An entry's errors point at its key's line, where a block mapping's value starts.
        case .mapping(let entries):
            return entries.map {
                ConfigEntry(key: $0.key, line: $0.line, node: ConfigNode($0.node.value, line: $0.line))
            }
        default: throw error(node, field, "expected a mapping of keys, found \(node.kind)")
        }
    }

    private func string(_ node: ConfigNode, field: String) throws(WebConfigError) -> String {
        guard case .scalar(let text, _) = node.value else {
            throw error(node, field, "expected a single value, found \(node.kind)")
        }
        return text
    }

    private func resolve(_ path: String) -> String { path.hasPrefix("/") ? path : directory + path }

    private mutating func warn(_ field: String, _ message: String) {
        warnings.append("web config \(file): \(field) \(message)")
    }

    private func unknownKey(_ entry: ConfigEntry, in parent: String?) -> WebConfigError {
        error(entry.node, parent, "unknown key \"\(entry.key)\"")
    }

    private func error(_ node: ConfigNode, _ field: String?, _ message: String) -> WebConfigError {
        WebConfigError(file: file, line: node.line, field: field, message: message)
    }
}
