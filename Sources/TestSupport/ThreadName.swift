import Foundation

/// The kernel's name of the thread running the caller (`startNamedThread` sets it; Linux shows
/// it in /proc, as `top -H` does): tests ask where their code ran.
public func currentThreadName() -> String {
    let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
    return comm.trimmingCharacters(in: .newlines)
}
