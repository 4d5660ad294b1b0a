import Glibc

/// `--web.systemd-socket`: the listening sockets systemd passes to a socket-activated service,
/// as sd_listen_fds(3) finds them: descriptors 3, 4, … counted by `LISTEN_FDS`, meant for the
/// process named by `LISTEN_PID`.
enum SystemdSockets {
    static let firstDescriptor: Int32 = 3

    /// The passed descriptors; unsets the variables, so a child process never takes them as its own.
    static func take() throws(ConfigError) -> [Int32] {
        let descriptors = try descriptors(
            listenPID: environment("LISTEN_PID"), listenFDs: environment("LISTEN_FDS"), pid: getpid())
        for name in ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"] { unsetenv(name) }
        return descriptors
    }

    /// The rule of sd_listen_fds(3), apart from the process environment; the error says what
    /// was missing and what to do.
    static func descriptors(listenPID: String?, listenFDs: String?, pid: Int32) throws(ConfigError) -> [Int32] {
        guard let listenFDs else {
            throw ConfigError(
                "--web.systemd-socket: systemd passed no socket (LISTEN_FDS is not set); start the exporter "
                    + "through atsign_exporter.socket, or drop the flag to listen on --web.listen-address")
        }
        guard let listenPID, let owner = Int32(listenPID), owner == pid else {
            throw ConfigError(
                "--web.systemd-socket: the sockets are meant for process \(listenPID ?? "(LISTEN_PID unset)"), "
                    + "not this one (\(pid))")
        }
        guard let count = Int32(listenFDs), (1...1024).contains(count) else {
            throw ConfigError("--web.systemd-socket: LISTEN_FDS is \"\(listenFDs)\", not a count of sockets")
        }
        return Array(firstDescriptor..<firstDescriptor + count)
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
