import CSystem
import Foundation

/// Starts a thread of its own named `name`, as `top -H`, `ps -L` and debuggers show it.
///
/// The thread names itself with `pthread_setname_np` once it runs: Foundation's `Thread.name`,
/// set before `start()` or even from the new thread, often never reached the kernel (in a test
/// of 300 executors started at once, 131 kept their creator's name), because it applies the
/// name only if the parent has already recorded the new thread's handle.
public func startNamedThread(_ name: String, _ body: @escaping @Sendable () -> Void) {
    let thread = Thread {
        _ = csystem_name_this_thread(name)
        body()
    }
    thread.start()
}
