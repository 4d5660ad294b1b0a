import Foundation

/// The kernel's name of the thread running the caller (`startNamedThread` sets it; Linux shows
/// it in /proc, as `top -H` does): tests ask where their code ran.
public func currentThreadName() -> String {
    let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
    return comm.trimmingCharacters(in: .newlines)
}

/// The kernel's nice value of this process's thread `threadID`: field 19 of its stat line,
/// counted after the parenthesised name (which may hold spaces). Nil when it cannot be read.
public func niceOfThread(_ threadID: Int) -> Int32? {
    guard let stat = try? String(contentsOfFile: "/proc/self/task/\(threadID)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    return fields.count > 16 ? Int32(fields[16]) : nil
}
