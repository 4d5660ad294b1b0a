import NetIO
import Synchronization
import TestSupport
import Testing

@testable import WebServer

/// The `/held` route's requests: counted when they reach the handler, answered when the test
/// releases them (or ended when their task is cancelled), so a test acts while a request is
/// surely in flight instead of sleeping until it probably is.
final class HeldRequests: Sendable {
    private let arrived = Atomic<Int>(0)
    private let released = Atomic<Bool>(false)

    var count: Int { arrived.load(ordering: .relaxed) }
    func release() { released.store(true, ordering: .relaxed) }

    fileprivate func hold() async -> HTTPResponse {
        arrived.add(1, ordering: .relaxed)
        while !released.load(ordering: .relaxed) {
            guard (try? await Task.sleep(for: .milliseconds(5))) != nil else { return .text("cancelled") }
        }
        return .text("released")
    }
}

/// A thread of its own for a client whose bytes must follow its connect at once: a server with a
/// short head timeout closes a connection that stays silent, without the answer under test, and
/// a task on the cooperative pool, which the whole suite shares, can wait seconds for a thread.
let promptClient = ThreadExecutor(name: "test-prompt-client")

/// A started server on 127.0.0.1 port 0 with a few routes; stopped by `shutdown()`. Its head
/// timeout is `Patience.deadline`: the tests of that timeout set their own, for the others a
/// client that a busy machine kept from sending is no fault.
func startServer(
    held: HeldRequests? = nil, _ configure: (inout HTTPServerConfiguration) -> Void = { _ in }
) throws -> HTTPServer {
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
    if let held { router.add("/held") { _ in await held.hold() } }
    router.add("/metrics") { request in
        HTTPResponse.text(String(repeating: "m 1\n", count: 500)).compressed(for: request)
    }
    var configuration = HTTPServerConfiguration(listenAddresses: ["127.0.0.1:0"])
    configuration.requestHeadTimeout = Patience.deadline
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, router: router)
    try server.start()
    return server
}
