import Foundation
import TestSupport

/// A network namespace of the test's own, with loopback up and a resolv.conf (which
/// `ip netns exec` mounts over /etc/resolv.conf) pointing at a DNS server inside it.
/// Needs root and iproute2; `unavailableReason` says why not when they are missing.
final class NetworkNamespace: Sendable {
    let name: String
    static let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static let iptables = ["/usr/sbin/iptables", "/sbin/iptables"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// nil when namespaces can be made here.
    static var unavailableReason: String? {
        if geteuid() != 0 { return "creating a network namespace needs root (euid \(geteuid()))" }
        if ip == nil { return "iproute2's ip is not installed" }
        return nil
    }

    /// `resolverTimeoutSeconds` is glibc's per-query wait (`options timeout:`).
    init(resolverTimeoutSeconds: Int = 1) async throws {
        name = "atsim-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
        try await Self.ip(["netns", "add", name])
        try await Self.ip(["-n", name, "link", "set", "lo", "up"])
        let directory = "/etc/netns/\(name)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "nameserver 127.0.0.1\noptions timeout:\(resolverTimeoutSeconds) attempts:1\n".write(
            toFile: "\(directory)/resolv.conf", atomically: true, encoding: .utf8)
    }

    /// The prefix that runs a command inside the namespace.
    var exec: [String] { [Self.ip!, "netns", "exec", name] }

    /// Runs a built tool inside the namespace.
    func run(_ tool: String, _ arguments: [String], timeout: Duration = .seconds(60)) async throws
        -> ProcessRunner.Output
    {
        try await ProcessRunner.run(
            exec[0], Array(exec.dropFirst()) + [BuiltBinaries.path(tool)] + arguments, timeout: timeout)
    }

    /// Runs a system command (an absolute path first) inside the namespace; fails loudly.
    func run(command: [String]) async throws {
        let output = try await ProcessRunner.run(exec[0], Array(exec.dropFirst()) + command, timeout: .seconds(20))
        guard output.status == 0 else {
            throw CommandFailed(description: "\(command.joined(separator: " ")) in \(name): \(output.combined)")
        }
    }

    /// Deletes the namespace and its resolv.conf; call after stopping what runs inside.
    func remove() async {
        _ = try? await Self.ip(["netns", "del", name])
        try? FileManager.default.removeItem(atPath: "/etc/netns/\(name)")
    }

    struct CommandFailed: Error, CustomStringConvertible {
        let description: String
    }

    private static func ip(_ arguments: [String]) async throws {
        let output = try await ProcessRunner.run(ip!, arguments, timeout: .seconds(20))
        guard output.status == 0 else {
            throw CommandFailed(description: "ip \(arguments.joined(separator: " ")): \(output.combined)")
        }
    }
}
