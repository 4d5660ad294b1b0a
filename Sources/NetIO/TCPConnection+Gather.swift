import Glibc

extension TCPConnection {
    /// Sends `parts` gathered (`sendmsg`, the `writev` that takes `MSG_NOSIGNAL`), up to
    /// `IOV_MAX` (1024) parts per call, without joining them: a `/metrics` body is thousands of
    /// cached segments.
    public func write(parts: [ArraySlice<UInt8>], deadline: Deadline) async throws {
        var cursor = GatherCursor(parts: parts)
        var vectors = [iovec](repeating: iovec(), count: 1024)
        while !cursor.isDone {
            if isClosedForWriting { throw NetError.closed }
            let count = cursor.fill(&vectors)
            let written = vectors.withUnsafeMutableBufferPointer { vectors in
                var message = msghdr()
                message.msg_iov = vectors.baseAddress
                message.msg_iovlen = count
                return Glibc.sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            }
            if written >= 0 {
                cursor.advance(by: written)
                // A peer that drains as fast as we send never makes us wait: let other tasks run.
                if !cursor.isDone { await Task.yield() }
                continue
            }
            let code = errno
            switch code {
            case EAGAIN, EWOULDBLOCK, EINTR:
                try await reactor.wait(fd: fd, for: .write, deadline: deadline, operation: "write")
            case ECONNRESET, EPIPE: throw NetError.reset
            default: throw NetError.system(operation: "sendmsg", errno: code)
            }
        }
    }
}

/// Where a gathered write stands: the part and the offset in it of the next unsent byte.
struct GatherCursor {
    let parts: [ArraySlice<UInt8>]
    private(set) var part = 0
    private(set) var offset = 0

    init(parts: [ArraySlice<UInt8>]) {
        self.parts = parts
        skipEmpty()
    }

    var isDone: Bool { part == parts.count }

    /// Points `vectors` at the next unsent bytes; returns how many it filled. The pointers stay
    /// valid while `parts` holds the arrays: a native `[UInt8]` never moves while referenced.
    func fill(_ vectors: inout [iovec]) -> Int {
        var count = 0
        var index = part
        var start = offset
        while index < parts.count && count < vectors.count {
            let slice = parts[index]
            if slice.count > start {
                let base = slice.withUnsafeBufferPointer { $0.baseAddress! } + start
                vectors[count] = iovec(iov_base: UnsafeMutableRawPointer(mutating: base), iov_len: slice.count - start)
                count += 1
            }
            index += 1
            start = 0
        }
        return count
    }

    mutating func advance(by written: Int) {
        var rest = written
        while rest > 0 {
            let left = parts[part].count - offset
            if rest < left {
                offset += rest
                return
            }
            rest -= left
            part += 1
            offset = 0
        }
        skipEmpty()
    }

    private mutating func skipEmpty() {
        while part < parts.count && parts[part].count == offset {
            part += 1
            offset = 0
        }
    }
}
