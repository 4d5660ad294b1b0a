import CSystem
import Foundation
import Testing

@testable import Exporter

/// process_open_fds is read on every scrape: from the size of /proc/self/fd where the kernel
/// reports the count there, by reading the directory elsewhere.
@Suite struct ProcessMetricsTests {
    /// Descriptors held open while counting: enough to tell a real count from a constant size.
    static let held = 300

    @Test func theProcfsCountFollowsTheDescriptorsOpen() throws {
        let before = csystem_count_open_fds("/proc/self/fd")
        let pipes = (0..<Self.held / 2).map { _ in
            var ends: [Int32] = [0, 0]
            _ = pipe(&ends)
            return ends
        }
        defer { for ends in pipes { ends.forEach { close($0) } } }
        let during = csystem_count_open_fds("/proc/self/fd")
        // Other tests run beside this one and open descriptors too: a wide margin, one direction.
        #expect(during - before >= Self.held - 100)
        // The directory read counts its own descriptor as well.
        let listed = csystem_count_directory_entries("/proc/self/fd") - 1
        #expect(abs(listed - during) < 100)
        #expect(ProcessMetrics.read().openFDs >= Double(Self.held))
    }

    /// A directory that is not procfs: its size says nothing, its entries are counted.
    @Test func otherDirectoriesAreCountedByTheirEntries() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fds-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["0", "1", "2"] {
            try Data().write(to: directory.appendingPathComponent(name))
        }
        #expect(csystem_count_open_fds(directory.path) == 3)
    }
}
