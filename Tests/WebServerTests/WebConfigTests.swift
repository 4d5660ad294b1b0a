import Foundation
import Testing

@testable import WebServer

/// The example web config, in both formats; `promtool check web-config` must accept it too.
enum WebConfigExamples {
    static let hash = "$2y$10$ScEtVoC2b.g/algAopTs3.54pfloOVxDN32UyAGyc312sNjBiisL6"

    static let yaml = """
        # atsign_exporter web config (exporter-toolkit format)
        ---
        tls_server_config:
          cert_file: tls/server.pem   # relative to this file
          key_file: "tls/server.key"
          client_auth_type: RequireAndVerifyClientCert
          client_ca_file: '/etc/atsign/client-ca.pem'
          min_version: TLS13
          cipher_suites: [TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384]
          curve_preferences:
            - X25519

        http_server_config:
          http2: false
          headers:
            X-Frame-Options: deny

        basic_auth_users:
          prometheus: \(hash)
          "grafana user": '\(hash)'
        """

    static let json = """
        {"tls_server_config": {"cert_file": "tls/server.pem", "key_file": "tls/server.key",
          "client_auth_type": "RequireAndVerifyClientCert", "client_ca_file": "/etc/atsign/client-ca.pem",
          "min_version": "TLS13", "cipher_suites": ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"],
          "curve_preferences": ["X25519"]},
         "http_server_config": {"http2": false, "headers": {"X-Frame-Options": "deny"}},
         "basic_auth_users": {"prometheus": "\(hash)", "grafana\\u0020user": "\(hash)"}}
        """
}

@Suite struct WebConfigTests {
    @Test(arguments: [WebConfigExamples.yaml, WebConfigExamples.json])
    func parsesTheExample(text: String) throws {
        let config = try WebConfig.parse(text, path: "/etc/atsign/web.yml")
        let tls = try #require(config.tls)
        #expect(tls.certFile == "/etc/atsign/tls/server.pem")
        #expect(tls.keyFile == "/etc/atsign/tls/server.key")
        #expect(tls.clientAuth == .requireAndVerifyClientCert)
        #expect(tls.clientCAFile == "/etc/atsign/client-ca.pem")
        #expect(tls.minimumVersion == .tls13)
        #expect(
            config.basicAuthUsers == ["prometheus": WebConfigExamples.hash, "grafana user": WebConfigExamples.hash])
        #expect(
            config.warnings == [
                "web config /etc/atsign/web.yml: tls_server_config.cipher_suites is ignored: OpenSSL's defaults apply",
                "web config /etc/atsign/web.yml: tls_server_config.curve_preferences is ignored: OpenSSL's defaults apply",
                "web config /etc/atsign/web.yml: http_server_config.http2 is ignored: this server speaks HTTP/1.1 only",
                "web config /etc/atsign/web.yml: http_server_config.headers is ignored: "
                    + "extra response headers are not supported",
            ])
    }

    @Test func relativePathsFollowTheConfigFile() throws {
        let text = "tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
        #expect(try WebConfig.parse(text, path: "web.yml").tls?.certFile == "c.pem")
        #expect(try WebConfig.parse(text, path: "conf/web.yml").tls?.keyFile == "conf/k.pem")
        #expect(try WebConfig.parse(text, path: "/web.yml").tls?.keyFile == "/k.pem")
    }

    @Test func defaultsAndEmptySections() throws {
        let tls = try #require(try WebConfig.parse("tls_server_config:\n  cert_file: c\n  key_file: k", path: "w").tls)
        #expect(tls.clientAuth == .noClientCert)
        #expect(tls.minimumVersion == .tls12)
        #expect(tls.clientCAFile == nil)
        let emptyAuthType = "tls_server_config:\n  cert_file: c\n  key_file: k\n  client_auth_type: \"\""
        #expect(try WebConfig.parse(emptyAuthType, path: "w").tls?.clientAuth == .noClientCert)
        for empty in ["", "# nothing\n", "{}", "basic_auth_users:\ntls_server_config: {}\n", "basic_auth_users: ~"] {
            let config = try WebConfig.parse(empty, path: "w")
            #expect(config.tls == nil && config.basicAuthUsers.isEmpty && config.warnings.isEmpty, "\(empty)")
        }
        let noCert = try WebConfig.parse("tls_server_config:\n  min_version: TLS13\n", path: "w")
        #expect(noCert.tls == nil)
        #expect(
            noCert.warnings == [
                "web config w: tls_server_config has neither cert_file nor key_file, so TLS is off (plain HTTP)"
            ])
    }

    @Test func oldTLSVersionsAreRaisedWithAWarning() throws {
        let config = try WebConfig.parse(
            "tls_server_config:\n  cert_file: c\n  key_file: k\n  min_version: TLS10\n  max_version: TLS12\n",
            path: "w")
        #expect(config.tls?.minimumVersion == .tls12)
        #expect(
            config.warnings == [
                "web config w: tls_server_config.max_version TLS12 is ignored: TLS 1.3 stays enabled",
                "web config w: tls_server_config.min_version TLS10 is raised to TLS12, the lowest version this server speaks",
            ])
    }
}
