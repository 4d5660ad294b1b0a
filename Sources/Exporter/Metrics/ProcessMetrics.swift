import CSystem
import Foundation

/// The `process_*` figures every Prometheus client exposes, read from /proc/self at scrape time.
struct ProcessMetrics: Sendable, Equatable {
    var cpuSeconds: Double = 0
    var residentBytes: Double = 0
    var virtualBytes: Double = 0
    var openFDs: Double = 0
    var maxFDs: Double = 0
    var startTimeSeconds: Double = 0
    var threads: Double = 0

    static func read(procRoot: String = "/proc") -> ProcessMetrics {
        var metrics = ProcessMetrics()
        if let stat = try? String(contentsOfFile: "\(procRoot)/self/stat", encoding: .utf8) {
            metrics.apply(stat: stat, bootTime: procRoot == "/proc" ? systemBootTime : bootTime(procRoot: procRoot))
        }
        metrics.openFDs = Double(max(0, csystem_count_open_fds("\(procRoot)/self/fd")))
        if let limits = try? String(contentsOfFile: "\(procRoot)/self/limits", encoding: .utf8) {
            metrics.maxFDs = maxOpenFiles(limits: limits) ?? 0
        }
        return metrics
    }

    /// Fields of /proc/self/stat after the command name, which may itself hold spaces and ')'.
    mutating func apply(stat: String, bootTime: Double?) {
        guard let close = stat.lastIndex(of: ")") else { return }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state): field N is at index N - 3.
        func field(_ number: Int) -> Double? {
            number - 3 < fields.count ? Double(fields[number - 3]) : nil
        }
        let ticks = Double(csystem_clock_ticks_per_second())
        cpuSeconds = ((field(14) ?? 0) + (field(15) ?? 0)) / ticks
        threads = field(20) ?? 0
        virtualBytes = field(23) ?? 0
        residentBytes = (field(24) ?? 0) * Double(csystem_page_size())
        if let bootTime, let start = field(22) { startTimeSeconds = bootTime + start / ticks }
    }

    /// The system's boot time does not change while the process runs: read once, not per scrape.
    static let systemBootTime = bootTime(procRoot: "/proc")

    static func bootTime(procRoot: String) -> Double? {
        guard let stat = try? String(contentsOfFile: "\(procRoot)/stat", encoding: .utf8) else { return nil }
        let line = stat.split(separator: "\n").first { $0.hasPrefix("btime ") }
        return line.flatMap { Double($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
    }

    static func maxOpenFiles(limits: String) -> Double? {
        let line = limits.split(separator: "\n").first { $0.hasPrefix("Max open files") }
        let columns = line?.dropFirst("Max open files".count).split(separator: " ")
        return columns?.first.flatMap { Double($0) }
    }
}
