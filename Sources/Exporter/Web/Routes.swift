import AtStatus
import Exposition
import NetIO
import WebServer

/// Every endpoint of INTERFACE.md, on top of the service.
struct Routes: Sendable {
    let service: ExporterService

    func router(telemetryPath: String) -> Router {
        var router = Router()
        router.add("/") { request in landing(request) }
        router.add(telemetryPath) { request in metrics(request) }
        router.add("/probe") { request in await probe(request) }
        router.addPrefix("/api/v1/status/") { request in await status(request) }
        router.add("/-/healthy") { _ in .text("Healthy.\n") }
        router.add("/-/ready") { _ in ready() }
        router.add("/-/reload", methods: ["POST"]) { _ in await reload() }
        return router
    }

    /// The exposition; what producing it cost shows in the next scrape.
    func metrics(_ request: HTTPRequest) -> HTTPResponse {
        let start = Deadline.now
        let format = ExpositionFormat.negotiate(accept: request.headers["Accept"])
        let gzip = AcceptEncoding.acceptsGzip(request.headers.values("Accept-Encoding").joined(separator: ","))
        let live = Collector.liveFamilies(serving: service.stats, process: .read())
        let body = service.page.body(format: format, live: live, gzip: gzip)
        service.stats.recordRender(seconds: Deadline.now.seconds(since: start), series: body.series)
        var headers = HTTPHeaders([("Content-Type", format.contentType), ("Vary", "Accept-Encoding")])
        if gzip { headers.set("Content-Encoding", "gzip") }
        return HTTPResponse(status: 200, headers: headers, bodyParts: body.parts)
    }

    static func exposition(_ families: [MetricFamily], format: ExpositionFormat, request: HTTPRequest)
        -> HTTPResponse
    {
        var body: [UInt8] = []
        body.reserveCapacity(families.reduce(0) { $0 + $1.seriesCount } * 80)
        format.render(families, into: &body)
        let headers = HTTPHeaders([("Content-Type", format.contentType)])
        return HTTPResponse(status: 200, headers: headers, body: body).compressed(for: request)
    }

    func ready() -> HTTPResponse {
        service.store.read { $0.roundsCompleted } > 0
            ? .text("Ready.\n") : .text("Not ready: the first probe round has not finished.\n", status: 503)
    }

    func reload() async -> HTTPResponse {
        switch await service.reload() {
        case .success: return .text("Reloaded.\n")
        case .failure(let error):
            return .text("Reload failed, the running configuration is kept: \(error)\n", status: 500)
        }
    }

    /// `/api/v1/status/@alice`: the answer's status code is the atSign's httpStatus.
    func status(_ request: HTTPRequest) async -> HTTPResponse {
        let atSign: AtSign
        do {
            atSign = try AtSign(request.routeRemainder)
        } catch {
            return .text("\(error)\n", status: 400)
        }
        let wantsFresh = ["1", "true"].contains(request.queryValue("fresh") ?? "")
        // Read under the lock: a kept copy of the snapshot would make the next probe copy every record.
        let record = service.store.read { $0.records[atSign] }
        if !wantsFresh, let record, let result = record.result {
            return Self.json(result, changedAt: record.statusChangedAt)
        }
        guard service.freshProbes.tryAcquire() else {
            service.stats.countRefusedFreshProbe(.status)
            return .text("too many fresh probes; see --web.max-fresh-probes-per-second\n", status: 429)
        }
        guard let result = try? await service.freshProbe(atSign) else { return Self.probeCancelled }
        return Self.json(result, changedAt: nil)
    }

    /// What a request whose probe shutdown cancelled gets: no status, since none was learned.
    static let probeCancelled = HTTPResponse.text("probe cancelled: the exporter is shutting down\n", status: 503)

    static func json(_ result: ProbeResult, changedAt: Double?) -> HTTPResponse {
        HTTPResponse(
            status: result.httpStatus, contentType: "application/json",
            body: StatusReport.json(result, statusChangedAt: changedAt) + "\n")
    }
}
