#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a settings file could not be read, with the system's words for it.
public struct FileReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { reason }
}

/// Reads the config and atSigns files with plain POSIX calls, so a failure carries `strerror`
/// (Foundation's reader says neither which file nor why on Linux).
public enum DiskFile {
    /// Settings files are small; a cap keeps `--config.file /dev/zero` from eating the memory.
    public static let maximumBytes = 16 << 20

    public static func readText(_ path: String) throws(FileReadError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(path)
            }
            if count == 0 { break }
            bytes += chunk[..<count]
            guard bytes.count <= maximumBytes else {
                throw FileReadError(path: path, reason: "larger than \(maximumBytes >> 20) MiB")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FileReadError(path: path, reason: "not valid UTF-8 text")
        }
        return text
    }

    private static func failure(_ path: String) -> FileReadError {
        FileReadError(path: path, reason: String(cString: strerror(errno)))
    }
}
