import Foundation

/// Starts a thread of its own named `name`, as `top -H`, `ps -L` and debuggers show it.
///
/// The name is set from inside the new thread: on Linux, Foundation applies a `Thread`'s name
/// only when it is set on that thread itself; set before `start()`, it was lost and the thread
/// kept its creator's name (a Dispatch worker's `com.apple.root.default-qos`).
public func startNamedThread(_ name: String, _ body: @escaping @Sendable () -> Void) {
    let thread = Thread {
        Thread.current.name = name
        body()
    }
    thread.start()
}
