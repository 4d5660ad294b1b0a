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

    /// The descriptor limit comes from `getrlimit`, not from parsing /proc/self/limits per scrape:
    /// the same soft limit the file shows (what client_golang reads).
    @Test func theDescriptorLimitIsTheSoftLimitProcShows() throws {
        let limits = try String(contentsOfFile: "/proc/self/limits", encoding: .utf8)
        let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        let soft = try #require(line.dropFirst("Max open files".count).split(separator: " ").first)
        let expected = soft == "unlimited" ? Double.infinity : try #require(Double(soft))
        #expect(ProcessMetrics.read().maxFDs == expected)
    }

    /// /proc/self/stat parsed as bytes: every field this reads, against the kernel's own figures
    /// read another way (the thread count from /proc/self/status, the page size times statm's RSS).
    @Test func theStatFieldsMatchWhatTheKernelReportsElsewhere() throws {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let threadsLine = try #require(status.split(separator: "\n").first { $0.hasPrefix("Threads:") })
        let threads = try #require(Double(threadsLine.dropFirst("Threads:".count).trimmingPrefix("\t")))
        let metrics = ProcessMetrics.read()
        // Tests beside this one start and end threads: the count is close, not equal.
        #expect(abs(metrics.threads - threads) < 20)
        #expect(metrics.residentBytes > 1_000_000 && metrics.virtualBytes > metrics.residentBytes)
        #expect(metrics.cpuSeconds > 0)
        var parsed = ProcessMetrics()
        parsed.apply(
            stat: Array("7 (x) S -1 2 3 4 5 6 7 8 9 10 300 200 0 0 20 0 12 0 500 8192 3 0\n".utf8), bootTime: 10)
        let ticks = Double(csystem_clock_ticks_per_second())
        #expect(parsed.cpuSeconds == 500 / ticks && parsed.threads == 12 && parsed.virtualBytes == 8192)
        #expect(parsed.residentBytes == 3 * Double(csystem_page_size()) && parsed.startTimeSeconds == 10 + 500 / ticks)
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
