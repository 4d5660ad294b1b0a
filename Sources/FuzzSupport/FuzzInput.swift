/// A fuzz input split into the bytes that steer the harness and the payload the parser sees.
///
/// Byte 0 picks a mode (`selector`) and how many chunks (1–3) the payload arrives in; bytes 1
/// and 2 place the cuts as fractions of the payload length, so every cut of a short input is
/// reachable and a mutation of the payload does not move them. Missing header bytes count as 0.
public struct FuzzInput {
    public static let headerCount = 3

    public let selector: UInt8
    public let payload: [UInt8]
    public let chunks: [ArraySlice<UInt8>]

    public init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        self.init(Array(UnsafeBufferPointer(start: data, count: size)))
    }

    public init(_ bytes: [UInt8]) {
        let header = Array(bytes.prefix(Self.headerCount)) + Array(repeating: 0, count: Self.headerCount)
        selector = header[0] / 3
        let payload = Array(bytes.dropFirst(Self.headerCount))
        self.payload = payload
        let cuts = header[1...2].prefix(Int(header[0] % 3))
            .map { Int($0) * payload.count / 255 }
            .sorted()
        var chunks: [ArraySlice<UInt8>] = []
        var start = 0
        for cut in cuts + [payload.count] {
            chunks.append(payload[start..<cut])
            start = cut
        }
        self.chunks = chunks
    }
}

/// Stops the run so libFuzzer records the input: a parser broke one of its promises.
public func fuzzCheck(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #file,
    line: UInt = #line
) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
