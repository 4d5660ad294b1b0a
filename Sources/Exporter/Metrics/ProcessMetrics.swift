import Basics
import CSystem
import Glibc

/// The `process_*` figures every Prometheus client exposes, read at scrape time: /proc/self/stat
/// (parsed as bytes), the size of /proc/self/fd and the descriptor limit from `getrlimit`.
///
/// Every `/metrics` answer reads them, so they are cheap: read as Strings and split, the stat
/// and limits files cost ~0.85 M instructions per scrape (callgrind, `atsign_bench scrape`),
/// more than assembling the 10,000 atSigns' gzip body around one changed atSign.
struct ProcessMetrics: Sendable, Equatable {
    var cpuSeconds: Double = 0
    var residentBytes: Double = 0
    var virtualBytes: Double = 0
    var openFDs: Double = 0
    var maxFDs: Double = 0
    var startTimeSeconds: Double = 0
    var threads: Double = 0

    static func read() -> ProcessMetrics {
        var metrics = ProcessMetrics()
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { buffer in
            let count = Self.readFile("/proc/self/stat", into: buffer)
            if count > 0 {
                metrics.apply(stat: UnsafeBufferPointer(rebasing: buffer[..<count]), bootTime: systemBootTime)
            }
        }
        metrics.openFDs = Double(max(0, csystem_count_open_fds("/proc/self/fd")))
        // The soft limit, what /proc/self/limits shows as "Max open files" (client_golang's
        // source); RLIM_INFINITY is all ones.
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            metrics.maxFDs = limit.rlim_cur == rlim_t.max ? .infinity : Double(limit.rlim_cur)
        }
        return metrics
    }

    /// Fields of /proc/self/stat after the command name, which may itself hold spaces and ')'.
    mutating func apply(stat: some BidirectionalCollection<UInt8>, bootTime: Double?) {
        guard let close = stat.lastIndex(of: UInt8(ascii: ")")) else { return }
        // fields[0] is field 3 (state): field N is at index N - 3. Only the numeric ones are read.
        var fields: [Int64?] = []
        fields.reserveCapacity(52)
        var value: Int64? = nil
        var negative = false
        var inField = false
        for byte in stat[stat.index(after: close)...] {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") {
                if inField { fields.append(value.map { negative ? -$0 : $0 }) }
                (value, negative, inField) = (nil, false, false)
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if !inField { (value, inField) = (0, true) }
                value = value.map { $0 &* 10 &+ Int64(byte - UInt8(ascii: "0")) }
            } else if byte == UInt8(ascii: "-") && !inField {
                (negative, inField, value) = (true, true, 0)
            } else {
                // A letter (the state field): not a number.
                (value, inField) = (nil, true)
            }
        }
        if inField { fields.append(value.map { negative ? -$0 : $0 }) }
        func field(_ number: Int) -> Double? {
            number - 3 < fields.count ? fields[number - 3].map(Double.init) : nil
        }
        let ticks = Double(csystem_clock_ticks_per_second())
        cpuSeconds = ((field(14) ?? 0) + (field(15) ?? 0)) / ticks
        threads = field(20) ?? 0
        virtualBytes = field(23) ?? 0
        residentBytes = (field(24) ?? 0) * Double(csystem_page_size())
        if let bootTime, let start = field(22) { startTimeSeconds = bootTime + start / ticks }
    }

    /// The system's boot time does not change while the process runs: read once, not per scrape.
    static let systemBootTime: Double? = {
        guard let stat = try? TextFile.read("/proc/stat") else { return nil }
        let line = stat.split(separator: "\n").first { $0.hasPrefix("btime ") }
        return line.flatMap { Double($0.dropFirst(6).trimmingPrefix(" ")) }
    }()

    /// Reads up to `buffer.count` bytes of a small file in one `read`; the count, 0 on failure.
    private static func readFile(_ path: String, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return 0 }
        defer { Glibc.close(descriptor) }
        return max(0, Glibc.read(descriptor, buffer.baseAddress, buffer.count))
    }
}
