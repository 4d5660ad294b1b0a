import FuzzSupport
import WebServer

/// Feeds `HTTPRequestParser` the payload whole and in the chunks the header picks, and checks
/// that the cut points change nothing a client could see: an input that parses whole parses
/// the same in chunks, and an input refused whole is refused in chunks after a prefix of the
/// same requests. Small limits, so the 413/414/431 paths are reached by short inputs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    var limits = HTTPLimits()
    limits.maxRequestLineBytes = 200
    limits.maxHeaderBytes = 400
    limits.maxHeaderCount = 8
    limits.maxBodyBytes = 300
    let whole = ParseOutcome(chunks: [input.payload[...]], limits: limits)
    let split = ParseOutcome(chunks: input.chunks, limits: limits)
    fuzzCheck(
        (whole.error == nil) == (split.error == nil),
        "whole: \(whole.error.map(String.init(describing:)) ?? "no error"), "
            + "chunked: \(split.error.map(String.init(describing:)) ?? "no error")")
    if whole.error == nil {
        fuzzCheck(whole.requests == split.requests, "chunked requests differ: \(whole.requests) \(split.requests)")
    } else {
        fuzzCheck(whole.requests.starts(with: split.requests), "chunked requests are not a prefix of the whole's")
    }
    return 0
}

/// The requests a parser hands out for some chunks, up to its first error.
struct ParseOutcome {
    var requests: [String] = []
    var error: HTTPParseError?

    init(chunks: [ArraySlice<UInt8>], limits: HTTPLimits) {
        var parser = HTTPRequestParser(limits: limits)
        for chunk in chunks where error == nil {
            parser.append(chunk)
            do {
                while let request = try parser.nextRequest() {
                    Self.checkInvariants(request, limits: limits)
                    requests.append(Self.summary(of: request))
                }
            } catch {
                self.error = error
            }
        }
        guard let error else { return }
        fuzzCheck(!error.reason.isEmpty && (400...599).contains(error.status), "unclear error: \(error)")
        do {
            _ = try parser.nextRequest()
            fuzzCheck(false, "parser recovered after \(error)")
        } catch let again {
            fuzzCheck(again == error, "parser changed its error from \(error) to \(again)")
        }
    }

    static func checkInvariants(_ request: HTTPRequest, limits: HTTPLimits) {
        // `*` is the asterisk form (`OPTIONS * HTTP/1.1`), kept as is so routing answers 404.
        fuzzCheck(request.path == "*" || request.path.hasPrefix("/"), "path \(request.path) does not start with /")
        fuzzCheck(request.body.count <= limits.maxBodyBytes, "body larger than the limit")
        // A list of equal values (`3, 3`, empty elements ignored) counts as one (RFC 9110 §8.6).
        let declared = request.headers.listValues("Content-Length").first.flatMap { Int($0) } ?? 0
        fuzzCheck(request.body.count == declared, "body of \(request.body.count) bytes, declared \(declared)")
        fuzzCheck(request.headers.fields.count <= limits.maxHeaderCount, "more header fields than the limit")
    }

    static func summary(of request: HTTPRequest) -> String {
        let headers = request.headers.fields.map { "\($0.name)=\($0.value)" }.joined(separator: "|")
        return "\(request.method) \(request.rawTarget) \(request.version) [\(headers)] \(request.body)"
    }
}
