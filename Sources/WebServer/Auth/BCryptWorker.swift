import Dispatch

/// Runs bcrypt off Swift's cooperative pool. bcrypt blocks its thread for ~70 ms at cost 10; on
/// the pool (two threads here) a few login attempts would stall every other request. One serial
/// queue also caps bcrypt at one core, so a flood of wrong passwords cannot take the machine.
enum BCryptWorker {
    private static let marker = DispatchSpecificKey<Bool>()
    private static let queue = {
        let queue = DispatchQueue(label: "atsign_exporter.bcrypt", qos: .userInitiated)
        queue.setSpecific(key: marker, value: true)
        return queue
    }()

    /// `body` run on the bcrypt queue; the caller's task suspends meanwhile.
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: body()) }
        }
    }

    /// Whether the caller runs on the bcrypt queue.
    static var isCurrent: Bool { DispatchQueue.getSpecific(key: marker) == true }
}
