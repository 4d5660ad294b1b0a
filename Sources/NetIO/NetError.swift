import Glibc

/// Why an I/O operation failed. Carries what the caller needs to classify a probe failure
/// (`AtStatus` maps these to the `reason` label) and to write a useful log line.
public enum NetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The deadline passed while waiting for `operation`.
    case timeout(operation: String)
    /// The peer refused the TCP connection.
    case connectionRefused(address: String)
    /// The name could not be resolved.
    case dns(host: String, message: String)
    /// The TLS handshake failed for a reason other than the certificate.
    case tlsHandshake(String)
    /// The peer certificate was refused: untrusted, expired, or for another host.
    case certificate(String)
    /// The peer reset the connection.
    case reset
    /// The stream was already closed by this side.
    case closed
    /// A reply grew past the limit.
    case tooLarge(limit: Int)
    /// The peer sent bytes that break the protocol.
    case protocolViolation(String)
    /// A system call failed.
    case system(operation: String, errno: Int32)
    /// The waiting task was cancelled.
    case cancelled

    public var description: String {
        switch self {
        case .timeout(let operation): "timed out waiting to \(operation)"
        case .connectionRefused(let address): "connection refused by \(address)"
        case .dns(let host, let message): "cannot resolve \(host): \(message)"
        case .tlsHandshake(let message): "TLS handshake failed: \(message)"
        case .certificate(let message): "certificate refused: \(message)"
        case .reset: "connection reset by peer"
        case .closed: "connection closed"
        case .tooLarge(let limit): "reply larger than \(limit) bytes"
        case .protocolViolation(let message): "protocol error: \(message)"
        case .system(let operation, let code): "\(operation) failed: \(systemErrorText(code)) (errno \(code))"
        case .cancelled: "cancelled"
        }
    }
}

/// strerror for an errno, safe to call from any thread.
public func systemErrorText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard strerror_r(code, &buffer, buffer.count) == 0 else { return "errno \(code)" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
