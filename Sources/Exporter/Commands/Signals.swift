import Dispatch
import Glibc

/// Process signals as an async sequence. The handlers run on a private dispatch queue, never on
/// the Swift pool, and the default actions are disabled so SIGTERM does not kill us mid-reply.
final class Signals {
    enum Event: Sendable {
        case reload
        case terminate(Int32)
    }

    let events: AsyncStream<Event>
    private let sources: [any DispatchSourceSignal]

    init() {
        let queue = DispatchQueue(label: "atsign-exporter-signals")
        let (stream, continuation) = AsyncStream<Event>.makeStream()
        events = stream
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGHUP, SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                continuation.yield(number == SIGHUP ? .reload : .terminate(number))
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }
}
