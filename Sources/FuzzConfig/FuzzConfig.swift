import Exporter
import FuzzSupport

/// Loads settings through `SettingsLoader` with the payload as the config file, as the atSigns
/// file, or as the command line itself (arguments separated by NUL bytes); the selector picks.
/// Any text must give settings or a `ConfigError` that says something, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let text = String(decoding: input.payload, as: UTF8.self)
    let loader = SettingsLoader(readFile: { _ in text })
    let arguments: [String]
    switch input.selector % 3 {
    case 0: arguments = ["--config.file", "fuzz.json"]
    case 1: arguments = ["check", "--atsigns.file", "atsigns.txt"]
    default:
        arguments = input.payload.split(separator: 0, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
    }
    do {
        if case .run(let settings) = try loader.invocation(arguments: arguments) {
            fuzzCheck(settings.atSigns == Array(Set(settings.atSigns)).sorted(), "atSigns not unique and sorted")
        }
    } catch {
        fuzzCheck(!error.message.isEmpty, "empty error for \(arguments)")
    }
    return 0
}
