import NetIO

extension HTTPServer {
    /// Per-connection timing: the head deadline runs from accept, or from the first byte of a
    /// later request; between requests only the idle deadline applies.
    private struct Timing {
        var headDeadline: Deadline?
        var idleDeadline = Deadline.distantFuture

        func readDeadline(idle: Bool) -> Deadline { idle ? (headDeadline ?? idleDeadline) : headDeadline! }
    }

    /// Serves one connection: requests in arrival order, each answered before the next is read
    /// from the buffer, so pipelined answers keep their order.
    func serve(_ tcp: TCPConnection, id: UInt64) async {
        var timing = Timing(headDeadline: .after(configuration.requestHeadTimeout))
        let security = currentSecurity()
        let stream: ByteStream
        if let tls = security.tls {
            do {
                stream = try await TLSConnection.accept(over: tcp, context: tls, deadline: timing.headDeadline!)
            } catch {
                await tcp.close()
                return
            }
        } else {
            stream = tcp
        }
        var parser = HTTPRequestParser(limits: configuration.limits)
        while await answerBuffered(
            &parser, stream: stream, remote: tcp.remoteAddress, id: id, timing: &timing,
            authenticate: security.authenticate)
        {
            if !parser.isIdle && timing.headDeadline == nil {
                timing.headDeadline = .after(configuration.requestHeadTimeout)
            }
            if parser.takeContinueNeeded() {
                let interim = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
                guard (try? await stream.write(interim, deadline: .after(configuration.writeTimeout))) != nil else {
                    break
                }
            }
            let bytes: [UInt8]
            do {
                bytes = try await stream.read(maxBytes: 16384, deadline: timing.readDeadline(idle: parser.isIdle))
            } catch NetError.timeout {
                if !parser.isIdle { await answerTimeout(stream, remote: tcp.remoteAddress) }
                break
            } catch {
                break
            }
            if bytes.isEmpty { break }
            parser.append(bytes)
        }
        await stream.close()
    }

    /// Answers every complete request in the parser; false when the connection must close.
    private func answerBuffered(
        _ parser: inout HTTPRequestParser, stream: ByteStream, remote: String, id: UInt64, timing: inout Timing,
        authenticate: Authenticator?
    ) async -> Bool {
        while true {
            let start = Deadline.now
            let request: HTTPRequest?
            do {
                request = try parser.nextRequest()
            } catch {
                await answerError(error, stream: stream, remote: remote, start: start)
                return false
            }
            guard var request else { return !Task.isCancelled }
            guard beginRequest(id) else { return false }
            request.remoteAddress = remote
            let response = await respond(to: request, authenticate: authenticate)
            let keepAlive = endRequest(id) && request.keepAlive && response.headers["Connection"] != "close"
            var parts = [response.head(version: request.version, keepAlive: keepAlive, date: date())[...]]
            if request.method != "HEAD" { parts += response.bodyParts }
            do {
                try await stream.write(parts: parts, deadline: .after(configuration.writeTimeout))
            } catch {
                return false
            }
            log(request, response, start: start)
            guard keepAlive else { return false }
            timing = Timing(headDeadline: nil, idleDeadline: .after(configuration.idleTimeout))
        }
    }

    /// The TLS context and authenticator for a new connection: the web config's current ones
    /// when it is followed, else the fixed ones of the configuration.
    func currentSecurity() -> (tls: TLSContext?, authenticate: Authenticator?) {
        guard let webConfig = configuration.webConfig else { return (configuration.tls, configuration.authenticate) }
        let security = webConfig.current()
        return (security.tls, security.authenticate)
    }

    /// Basic auth first (when configured), then the router.
    func respond(to request: HTTPRequest, authenticate: Authenticator?) async -> HTTPResponse {
        if let authenticate, let failure = await request.authorizationFailure(authenticate) {
            return failure
        }
        return await router.respond(to: request)
    }

    private func answerError(_ error: HTTPParseError, stream: ByteStream, remote: String, start: Deadline) async {
        let response = HTTPResponse.error(error)
        try? await stream.write(
            response.serialized(keepAlive: false, date: date()), deadline: .after(configuration.writeTimeout))
        configuration.accessLog?(
            AccessLogEntry(
                remoteAddress: remote, method: "", target: "", status: error.status, bodyBytes: response.bodyCount,
                durationSeconds: Deadline.now.seconds(since: start), userAgent: ""))
        await Self.lingeringClose(stream)
    }

    /// 408 to a client that started a request but did not finish it in time.
    private func answerTimeout(_ stream: ByteStream, remote: String) async {
        let seconds = configuration.requestHeadTimeout.secondsDouble
        let error = HTTPParseError(status: 408, reason: "request not received within \(seconds) s")
        try? await stream.write(HTTPResponse.error(error).serialized(keepAlive: false), deadline: .after(.seconds(1)))
    }

    private func log(_ request: HTTPRequest, _ response: HTTPResponse, start: Deadline) {
        guard let accessLog = configuration.accessLog else { return }
        accessLog(
            AccessLogEntry(
                remoteAddress: request.remoteAddress, method: request.method, target: request.rawTarget,
                status: response.status, bodyBytes: request.method == "HEAD" ? 0 : response.bodyCount,
                durationSeconds: Deadline.now.seconds(since: start), userAgent: request.headers["User-Agent"] ?? ""))
    }

    private func date() -> String? { configuration.sendsDate ? HTTPDate.now() : nil }
}
