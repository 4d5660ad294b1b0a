import Foundation

/// `atsign_bench render|scrape|root|handshake|probe [--name value ...]`: in-process figures for
/// scripts/bench.sh, printed as `key=value` lines.
let arguments = CommandLine.arguments.dropFirst()
do {
    let options = try Options(arguments.dropFirst())
    switch arguments.first {
    case "render": try RenderBench.run(options)
    case "scrape": try ScrapeBench.run(options)
    case "root": try await RootBench.run(options)
    case "handshake": try await HandshakeBench.run(options)
    case "probe": try await ProbeBench.run(options)
    default: throw BenchError("usage: atsign_bench render|scrape|root|handshake|probe [--name value ...]")
    }
} catch {
    FileHandle.standardError.write(Data("atsign_bench: \(error)\n".utf8))
    exit(2)
}
