import CSystem
import Glibc

/// The command line entry: parses, then runs `serve` or `check`. Returns the exit status:
/// see `ExitStatus`. `demoNetwork` provides `--demo`'s simulated network (the executable passes
/// one backed by `AtSimulator`); without it `--demo` is refused.
public enum ExporterMain {
    public static func run(_ arguments: [String], demoNetwork: DemoNetworkStarter? = nil) async -> ExitStatus {
        csystem_tune_malloc()
        let loader = SettingsLoader()
        let invocation: Invocation
        do {
            invocation = try loader.invocation(arguments: arguments)
        } catch {
            printError("atsign_exporter: \(error.message)\nSee 'atsign_exporter --help'.")
            return .usage
        }
        switch invocation {
        case .help(let text):
            print(text)
            return .success
        case .version:
            print(BuildInfo.versionText)
            return .success
        case .run(let settings):
            if settings.configCheck { return ConfigCheck.run(settings) }
            switch settings.command {
            case .check: return await CheckCommand(settings: settings, demoNetwork: demoNetwork).run()
            case .serve:
                return await ServeCommand(
                    settings: settings, arguments: arguments, loader: loader, demoNetwork: demoNetwork
                ).run()
            }
        }
    }
}

/// One whole line to stderr.
func printError(_ text: String) {
    let line = Array((text.hasSuffix("\n") ? text : text + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
