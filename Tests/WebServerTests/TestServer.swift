import NetIO
import Testing

@testable import WebServer

/// A started server on 127.0.0.1 port 0 with a few routes; stopped by `shutdown()`.
func startServer(_ configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws -> HTTPServer {
    var router = Router()
    router.add("/") { _ in .text("hello\n") }
    router.add("/echo", methods: ["GET", "POST"]) { request in
        .text("\(request.method) \(request.rawTarget) \(String(decoding: request.body, as: UTF8.self))")
    }
    router.add("/slow") { request in
        let millis = Int(request.queryValue("ms") ?? "200")!
        try? await Task.sleep(for: .milliseconds(millis))
        return .text("slept \(millis)")
    }
    router.add("/metrics") { request in
        HTTPResponse.text(String(repeating: "m 1\n", count: 500)).compressed(for: request)
    }
    var configuration = HTTPServerConfiguration(listenAddresses: ["127.0.0.1:0"])
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, router: router)
    try server.start()
    return server
}
