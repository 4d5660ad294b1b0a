import Glibc

/// Why a file could not be read, with the system's words for it.
public struct FileReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { reason }
}

/// Reads the small files this project is given (config, atSigns, web config, certificates,
/// scenarios) with plain POSIX calls, so a failure carries `strerror` and nothing blocks longer
/// than a local read.
public enum TextFile {
    /// Such files are small; a cap keeps `--config.file /dev/zero` from eating the memory.
    public static let maximumBytes = 16 << 20

    public static func read(_ path: String) throws(FileReadError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw systemFailure(path) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw systemFailure(path)
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

    private static func systemFailure(_ path: String) -> FileReadError {
        FileReadError(path: path, reason: String(cString: strerror(errno)))
    }
}
