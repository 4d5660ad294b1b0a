import AtStatus
import FuzzSupport

/// Reads the payload as an atServer reply to `scan` and to `info:brief`: any bytes must give
/// a payload or a thrown error, never a crash, and a `data:` reply keeps its text after `data:`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServerReply(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let reply = try? ServerReply(bytes, command: "scan") {
        // Compared as bytes: as Strings, a combining mark after "data:" joins the ":" into one
        // Character and `hasPrefix("data:")` is false though the bytes start with it.
        let text = String(decoding: bytes, as: UTF8.self)
        fuzzCheck(
            bytes.starts(with: "data:".utf8) && Array(reply.payload.utf8) == Array(bytes.dropFirst(5)),
            "payload \(reply.payload) of \(text)")
        _ = try? reply.keyNames()
    }
    _ = ServerReply.parseInfo(bytes)
    return 0
}
