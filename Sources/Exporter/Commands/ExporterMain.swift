import CSystem
import Glibc

/// The command line entry: parses, then runs `serve` or `check`. Returns the exit status:
/// 0 fine, 1 a check found an atSign not activated (or the server failed), 2 bad usage or input.
public enum ExporterMain {
    public static func run(_ arguments: [String]) async -> Int32 {
        csystem_tune_malloc()
        let loader = SettingsLoader()
        let invocation: Invocation
        do {
            invocation = try loader.invocation(arguments: arguments)
        } catch {
            printError("atsign_exporter: \(error.message)\nSee 'atsign_exporter --help'.")
            return 2
        }
        switch invocation {
        case .help(let text):
            print(text)
            return 0
        case .version:
            print(BuildInfo.versionText)
            return 0
        case .run(let settings):
            if settings.configCheck { return ConfigCheck.run(settings) }
            switch settings.command {
            case .check: return await CheckCommand(settings: settings).run()
            case .serve: return await ServeCommand(settings: settings, arguments: arguments, loader: loader).run()
            }
        }
    }
}

/// One whole line to stderr.
func printError(_ text: String) {
    let line = Array((text.hasSuffix("\n") ? text : text + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
