import Basics
import Dispatch
import Foundation
import Glibc
import NetIO
import Synchronization

/// How the simulated DNS server answers.
public enum DNSMode: Sendable, Equatable, CustomStringConvertible {
    case normal
    /// Every answer is sent this late.
    case slow(Duration)
    /// SERVFAIL for everything (getaddrinfo: EAI_AGAIN).
    case serverFailure
    /// NXDOMAIN for everything (getaddrinfo: EAI_NONAME).
    case noSuchName

    /// `normal`, `slow:100ms`, `servfail`, `nxdomain`.
    public init(name: String) throws(UsageError) {
        switch name {
        case "normal": self = .normal
        case "servfail": self = .serverFailure
        case "nxdomain": self = .noSuchName
        default:
            let delay = try? PrometheusDuration(parsing: String(name.dropFirst(5))).duration
            guard name.hasPrefix("slow:"), let delay else {
                throw UsageError("DNS mode \"\(name)\" is not normal, slow:DURATION, servfail or nxdomain")
            }
            self = .slow(delay)
        }
    }

    public var description: String {
        switch self {
        case .normal: "normal"
        case .slow(let delay): "slow:\(delay.prometheusDescription)"
        case .serverFailure: "servfail"
        case .noSuchName: "nxdomain"
        }
    }
}

/// A tiny authoritative DNS server over UDP for the simulator's names: every name in `zone`
/// (the zone itself and anything under it) has `addresses`; other names do not exist.
///
/// It runs on its own thread with a blocking socket, outside the Swift pool; delayed answers
/// go out from a Dispatch timer, so a slow mode does not hold other queries back.
public final class DNSResponder: Sendable {
    public let host: String
    public let port: Int
    private let fd: Int32
    private let zone: String
    private let addresses: [String]
    private let mode: Mutex<DNSMode>
    private let stopped = Atomic<Bool>(false)
    /// True once the socket is closed: a late answer must not go to a reused descriptor.
    private let closed = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)

    public init(host: String = "127.0.0.1", port: Int = 0, zone: String, addresses: [String], mode: DNSMode = .normal)
        throws
    {
        guard let address = SocketAddress(numericHost: host, port: port) else {
            throw UsageError("DNS listen address \(host) is not a numeric IP")
        }
        let fd = socket(address.family, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw NetError.system(operation: "socket(UDP)", errno: errno) }
        guard address.withSockaddr({ bind(fd, $0, $1) }) == 0 else {
            let code = errno
            close(fd)
            throw NetError.system(operation: "bind DNS to \(address)", errno: code)
        }
        self.fd = fd
        self.host = host
        self.port = Self.boundPort(fd) ?? port
        self.zone = zone.lowercased()
        self.addresses = addresses
        self.mode = Mutex(mode)
        startNamedThread("atsign-sim-dns") { [self] in serve() }
    }

    public func setMode(_ mode: DNSMode) { self.mode.withLock { $0 = mode } }

    /// Stops answering and closes the socket.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
        closed.withLock { isClosed in
            isClosed = true
            close(fd)
        }
    }

    private func serve() {
        var buffer = [UInt8](repeating: 0, count: 1500)
        var pollEntry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while !stopped.load(ordering: .acquiring) {
            // Wakes every 100 ms to notice stop(): a blocked recvfrom would not.
            guard poll(&pollEntry, 1, 100) > 0 else { continue }
            var peer = sockaddr_storage()
            var peerLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = withUnsafeMutablePointer(to: &peer) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(fd, &buffer, 1500, 0, $0, &peerLength)
                }
            }
            guard count > 0, let query = DNSQuery(Array(buffer[0..<count])) else { continue }
            answer(query, to: peer, length: peerLength)
        }
        finished.signal()
    }

    private func answer(_ query: DNSQuery, to peer: sockaddr_storage, length: socklen_t) {
        let inZone = query.name == zone || query.name.hasSuffix("." + zone)
        let currentMode = mode.withLock { $0 }
        let reply: [UInt8]
        switch currentMode {
        case .serverFailure: reply = query.response(.serverFailure)
        case .noSuchName: reply = query.response(.nameError)
        case .normal, .slow:
            reply = inZone ? query.response(.noError, addresses: addresses) : query.response(.nameError)
        }
        guard case .slow(let delay) = currentMode else { return send(reply, to: peer, length: length) }
        let nanoseconds = Int(clamping: delay.nanosecondsClamped)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in
            send(reply, to: peer, length: length)
        }
    }

    private func send(_ reply: [UInt8], to peer: sockaddr_storage, length: socklen_t) {
        closed.withLock { isClosed in
            guard !isClosed else { return }
            var peer = peer
            _ = withUnsafePointer(to: &peer) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, reply, reply.count, 0, $0, length)
                }
            }
        }
    }

    private static func boundPort(_ fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { return nil }
        return withUnsafeBytes(of: storage) { raw in
            Int(UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port))
        }
    }
}
