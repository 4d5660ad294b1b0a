import CSystem
import Glibc

/// What one name lookup found. Addresses carry port 0: the resolver caches per host and
/// applies each caller's port.
public enum NameLookupResult: Sendable, Equatable {
    case addresses([SocketAddress])
    /// The name does not exist or has no address (NXDOMAIN, NODATA): cached briefly.
    case noSuchHost(String)
    /// The lookup itself failed (SERVFAIL, no answer, ...): never cached, the next probe asks again.
    case failed(String)
}

/// The seam in front of `getaddrinfo`: tests inject slow, failing and NXDOMAIN lookups.
public protocol NameLookup: Sendable {
    /// Looks `host` up, blocking: the resolver calls it on its own threads, never the Swift pool.
    func lookup(host: String) -> NameLookupResult
}

/// The system resolver (`/etc/hosts`, `/etc/resolv.conf`, nsswitch) through `getaddrinfo`.
public struct SystemNameLookup: NameLookup {
    public init() {}

    public func lookup(host: String) -> NameLookupResult {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var result: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, nil, &hints, &result)
        guard code == 0, let first = result else {
            let message = String(cString: gai_strerror(code))
            return csystem_eai_is_no_such_host(code) == 1 ? .noSuchHost(message) : .failed(message)
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let pointer = entry.pointee.ai_addr,
                let address = SocketAddress(pointer: pointer, length: entry.pointee.ai_addrlen),
                !addresses.contains(address)
            {
                addresses.append(address)
            }
            cursor = entry.pointee.ai_next
        }
        guard !addresses.isEmpty else { return .noSuchHost("no addresses") }
        return .addresses(Self.interleavingFamilies(addresses))
    }

    /// IPv4 first (an unreachable IPv6 route is the commoner fault), then alternating families
    /// as RFC 8305 §4 asks, so connection attempts try both families early.
    static func interleavingFamilies(_ addresses: [SocketAddress]) -> [SocketAddress] {
        var v4 = addresses.filter { $0.family == AF_INET }[...]
        var v6 = addresses.filter { $0.family != AF_INET }[...]
        var ordered: [SocketAddress] = []
        while !v4.isEmpty || !v6.isEmpty {
            if let next = v4.popFirst() { ordered.append(next) }
            if let next = v6.popFirst() { ordered.append(next) }
        }
        return ordered
    }
}
