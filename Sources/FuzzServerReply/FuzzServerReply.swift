import AtStatus
import FuzzSupport

/// Reads the payload as an atServer reply to `scan` and to `info:brief`: any bytes must give
/// a payload or a thrown error, never a crash, and a `data:` reply keeps its text after `data:`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServerReply(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let reply = try? ServerReply(bytes, command: "scan") {
        let text = String(decoding: bytes, as: UTF8.self)
        fuzzCheck(text.hasPrefix("data:") && "data:" + reply.payload == text, "payload \(reply.payload) of \(text)")
        _ = try? reply.keyNames()
    }
    _ = ServerReply.parseInfo(bytes)
    return 0
}
