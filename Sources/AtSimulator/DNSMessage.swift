import Glibc

/// The little of RFC 1035 the simulator's DNS responder needs: one question in, A or AAAA
/// records (or an error code) out.
struct DNSQuery: Equatable {
    static let typeA: UInt16 = 1
    static let typeAAAA: UInt16 = 28

    let id: UInt16
    let flags: UInt16
    /// Lowercased, without the trailing dot.
    let name: String
    let type: UInt16
    /// The question section as received, echoed in the answer.
    let question: ArraySlice<UInt8>

    /// nil for anything that is not a well-formed single-question query.
    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 12, bytes[2] & 0x80 == 0, Self.be16(bytes, 4) == 1 else { return nil }
        var offset = 12
        var labels: [String] = []
        while true {
            guard offset < bytes.count else { return nil }
            let length = Int(bytes[offset])
            offset += 1
            if length == 0 { break }
            guard length < 64, offset + length <= bytes.count else { return nil }
            labels.append(String(decoding: bytes[offset..<offset + length], as: UTF8.self).lowercased())
            offset += length
        }
        guard offset + 4 <= bytes.count else { return nil }
        id = Self.be16(bytes, 0)
        flags = Self.be16(bytes, 2)
        name = labels.joined(separator: ".")
        type = Self.be16(bytes, offset)
        question = bytes[12..<offset + 4]
    }

    enum ResponseCode: UInt16 {
        case noError = 0
        case serverFailure = 2
        case nameError = 3
    }

    /// The answer: `addresses` of the asked type become records (TTL 60 s), others are left out.
    func response(_ code: ResponseCode, addresses: [String] = []) -> [UInt8] {
        let records = code == .noError ? addresses.compactMap(rdata) : []
        // QR, the query's opcode and RD, AA and RA, the response code.
        let responseFlags = 0x8000 | (flags & 0x7900) | 0x0400 | 0x0080 | code.rawValue
        var bytes: [UInt8] = []
        for value in [id, responseFlags, 1, UInt16(records.count), 0, 0] { Self.append(value, to: &bytes) }
        bytes += question
        for record in records {
            bytes += [0xC0, 0x0C]  // a pointer to the question's name
            Self.append(type, to: &bytes)
            bytes += [0x00, 0x01, 0x00, 0x00, 0x00, 0x3C]  // class IN, TTL 60
            Self.append(UInt16(record.count), to: &bytes)
            bytes += record
        }
        return bytes
    }

    /// The record data of `address` when it matches the asked type.
    private func rdata(_ address: String) -> [UInt8]? {
        if type == Self.typeA {
            var value = in_addr()
            guard inet_pton(AF_INET, address, &value) == 1 else { return nil }
            return withUnsafeBytes(of: value) { Array($0) }
        }
        if type == Self.typeAAAA {
            var value = in6_addr()
            guard inet_pton(AF_INET6, address, &value) == 1 else { return nil }
            return withUnsafeBytes(of: value) { Array($0) }
        }
        return nil
    }

    private static func be16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    private static func append(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
    }
}
