/// Runs `body` with a started resource (a server, a simulator, a harness) and always awaits
/// `stop` afterwards, also when `body` throws. The scoped form of `defer { Task { await stop() } }`,
/// which did not wait: the next test could start while the last one's servers still ran.
public func withStarted<Resource, Result>(
    _ resource: Resource, stop: (Resource) async -> Void, _ body: (Resource) async throws -> Result
) async throws -> Result {
    let result: Result
    do {
        result = try await body(resource)
    } catch {
        await stop(resource)
        throw error
    }
    await stop(resource)
    return result
}
