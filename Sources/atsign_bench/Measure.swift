import Foundation
import NetIO

/// Clocks and counters the benchmarks report: wall time, this process's CPU time and RSS.
enum Measure {
    /// User plus system CPU seconds of this process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }

    /// Resident set size in bytes, from /proc/self/status (`VmRSS`).
    static func residentBytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        let kilobytes = line?.split(separator: " ").dropFirst().first.flatMap { Double($0) } ?? 0
        return kilobytes * 1024
    }

    /// Wall seconds `body` took.
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = Deadline.now
        try body()
        return Deadline.now.seconds(since: start)
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// `key=value` lines on stdout: bench.sh reads them with `sed`.
func report(_ key: String, _ value: Double, digits: Int = 6) {
    print("\(key)=\(String(format: "%.\(digits)f", value))")
}

/// `--name value` options of a subcommand, with defaults and a clear error for bad numbers.
struct Options {
    private var values: [String: String] = [:]

    init(_ arguments: ArraySlice<String>) throws {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard flag.hasPrefix("--"), let value = iterator.next() else {
                throw BenchError("expected --name value pairs, got \"\(flag)\"")
            }
            values[String(flag.dropFirst(2))] = value
        }
    }

    func text(_ name: String, _ fallback: String? = nil) throws -> String {
        guard let value = values[name] ?? fallback else { throw BenchError("--\(name) is required") }
        return value
    }

    func integers(_ name: String, _ fallback: String) throws -> [Int] {
        try text(name, fallback).split(separator: ",").map { part in
            guard let number = Int(part), number > 0 else {
                throw BenchError("--\(name): \"\(part)\" is not a positive integer")
            }
            return number
        }
    }

    func integer(_ name: String, _ fallback: Int) throws -> Int {
        try integers(name, String(fallback))[0]
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
