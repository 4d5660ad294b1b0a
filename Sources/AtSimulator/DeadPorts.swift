import Basics
import Foundation
import NetIO
import Synchronization

/// Picks ports on which nothing listens, for `stopped` atSigns.
///
/// A port freed after `bind(0)` could be handed out again by the kernel to the next listener,
/// and a `stopped` atSign would then reach another atSign's server. So dead ports come from
/// just below the kernel's ephemeral range, where `bind(0)` never lands, and are checked free.
final class DeadPorts: Sendable {
    private let host: String
    private let next: Mutex<Int>
    private let range: Range<Int>
    private let held = Mutex<[PortHold]>([])

    init(host: String) {
        self.host = host
        let low = Self.ephemeralLow()
        range = max(1024, low - 10_000)..<low
        next = Mutex(Int.random(in: range))
    }

    /// A port that is free now and outside the ephemeral range.
    func take() throws -> Int {
        for _ in 0..<range.count {
            let candidate = next.withLock { value in
                defer { value = value + 1 < range.upperBound ? value + 1 : range.lowerBound }
                return value
            }
            // Held bound (not listening) for the simulator's life: connects are refused, and a
            // port finder that binds to check (tests, scripts) sees it taken.
            let numeric = host == "localhost" || host.isEmpty ? "127.0.0.1" : host
            guard let address = SocketAddress(numericHost: numeric, port: candidate) else {
                throw NetError.system(operation: "holding a port on \(host) (not a numeric address)", errno: EINVAL)
            }
            if let hold = try? PortHold(address) {
                held.withLock { $0.append(hold) }
                return candidate
            }
        }
        throw NetError.system(operation: "finding a free port below \(range.upperBound)", errno: 98)
    }

    /// The first ephemeral port (32768 unless the system is tuned otherwise).
    private static func ephemeralLow() -> Int {
        guard let text = try? TextFile.read("/proc/sys/net/ipv4/ip_local_port_range"),
            let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first,
            let low = Int(first), low > 2048
        else { return 32768 }
        return low
    }
}
