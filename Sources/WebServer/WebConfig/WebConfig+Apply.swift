import Basics
import NetIO

extension WebConfig {
    /// The server TLS context of `tls_server_config`, nil for plain HTTP. Reads the certificate,
    /// key and client CA files now, so a bad file is reported at startup, naming its field.
    public func makeTLSContext() throws(WebConfigError) -> TLSContext? {
        guard let tls else { return nil }
        func fail(_ field: String, _ message: String) -> WebConfigError {
            WebConfigError(
                file: path, line: tls.lines[field] ?? tls.lines["tls_server_config"],
                field: field == "tls_server_config" ? field : "tls_server_config.\(field)", message: message)
        }
        func read(_ file: String, field: String) throws(WebConfigError) -> String {
            do {
                return try TextFile.read(file)
            } catch {
                throw fail(field, "cannot read \(file): \(error.reason)")
            }
        }
        let certificate = try read(tls.certFile, field: "cert_file")
        let key = try read(tls.keyFile, field: "key_file")
        let clientCA = try tls.clientCAFile.map { file throws(WebConfigError) in
            try read(file, field: "client_ca_file")
        }
        do {
            return try TLSContext.server(
                certificatePEM: certificate, privateKeyPEM: key, minimumVersion: tls.minimumVersion,
                clientCAPEM: clientCA)
        } catch {
            throw fail("tls_server_config", "cannot use the certificate, key or client CA: \(error)")
        }
    }

    /// The checker of `basic_auth_users`, nil when there are none (no authentication, as in
    /// the toolkit).
    public func makeBasicAuthUsers() -> BasicAuthUsers? {
        basicAuthUsers.isEmpty ? nil : BasicAuthUsers(basicAuthUsers)
    }

    /// Sets `configuration.tls` and `configuration.authenticate` from this config (clearing them
    /// when it has none); throws before changing anything if a TLS file is unusable.
    public func apply(to configuration: inout HTTPServerConfiguration) throws(WebConfigError) {
        let context = try makeTLSContext()
        configuration.tls = context
        configuration.authenticate = makeBasicAuthUsers()?.authenticator
    }
}
