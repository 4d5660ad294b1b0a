import Testing

@testable import Exporter

@Suite struct WebPathsTests {
    @Test func routePrefixDefaultsToTheExternalURLsPath() throws {
        let loader = SettingsLoader()
        let plain = try loader.load(arguments: [])
        #expect(plain.effectiveRoutePrefix == "" && plain.linkBase == "")
        let proxied = try loader.load(arguments: ["--web.external-url", "https://proxy.example:8443/a/b/"])
        #expect(proxied.externalURL == "https://proxy.example:8443/a/b")
        #expect(proxied.effectiveRoutePrefix == "/a/b" && proxied.linkBase == "/a/b")
        let stripped = try loader.load(arguments: [
            "--web.external-url", "https://proxy.example/a", "--web.route-prefix", "/",
        ])
        #expect(stripped.effectiveRoutePrefix == "" && stripped.linkBase == "/a")
        let prefixOnly = try loader.load(arguments: ["--web.route-prefix", "/x/"])
        #expect(prefixOnly.effectiveRoutePrefix == "/x" && prefixOnly.linkBase == "/x")
    }

    @Test(arguments: [
        ("ftp://host/x", "must start with http:// or https://"), ("https:///x", "has no host"),
        ("https://host/x?y=1", "must not contain a query"), ("proxy.example/x", "must start with http"),
    ])
    func badExternalURLsAreNamed(text: String, why: String) {
        #expect {
            try SettingsLoader().load(arguments: ["--web.external-url", text])
        } throws: { error in
            let message = (error as? ConfigError)?.message ?? ""
            return message.contains("--web.external-url") && message.contains(why) && message.contains(text)
        }
    }

    @Test func badRoutePrefixIsNamed() {
        #expect(throws: ConfigError("invalid path \"metrics\" for --web.route-prefix: it must start with /")) {
            try SettingsLoader().load(arguments: ["--web.route-prefix", "metrics"])
        }
    }

    @Test func linkBaseRewritesRootRelativeLinksOnly() {
        let html =
            #"<a href="/metrics">m</a> <a href="//cdn.example/x">c</a> <a href="rel">r</a> "#
            + #"<form action="/-/reload"></form> <a href="https://e.example/">e</a>"#
        #expect(
            LinkBase.rebase(html, onto: "/p")
                == #"<a href="/p/metrics">m</a> <a href="//cdn.example/x">c</a> <a href="rel">r</a> "#
                + #"<form action="/p/-/reload"></form> <a href="https://e.example/">e</a>"#)
        #expect(LinkBase.rebase(html, onto: "") == html)
    }

    @Test func requestCountersSeeTargetsAsIfServedAtTheRoot() {
        #expect(ServeCommand.unprefixed("/atsign/metrics", "/atsign") == "/metrics")
        #expect(ServeCommand.unprefixed("/atsign", "/atsign") == "/")
        #expect(ServeCommand.unprefixed("/atsign?status=error", "/atsign") == "/?status=error")
        #expect(ServeCommand.unprefixed("/atsignx/metrics", "/atsign") == "/atsignx/metrics")
        #expect(ServeCommand.unprefixed("", "/atsign") == "", "a refused connection has no target")
        #expect(ServeCommand.unprefixed("", "") == "")
        #expect(ServeCommand.unprefixed("/metrics", "") == "/metrics")
    }
}
