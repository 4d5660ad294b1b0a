import Foundation

/// The `main` of a fuzz target built without libFuzzer (a plain `swift build`): runs the target
/// once on every file named on the command line, or in a directory named there, so the same
/// executable replays a corpus or a crash without the sanitizer toolchain.
public enum CorpusReplayer {
    public static func run(_ target: (UnsafePointer<UInt8>, Int) -> CInt) {
        let paths = CommandLine.arguments.dropFirst().flatMap(files(at:))
        if paths.isEmpty {
            print("usage: \(CommandLine.arguments[0]) FILE_OR_DIRECTORY...")
            print("(a build with --sanitize fuzzer makes this a libFuzzer binary instead)")
            exit(2)
        }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                print("cannot read \(path)")
                exit(1)
            }
            // One spare byte so an empty input still has a valid pointer.
            let bytes = [UInt8](data) + [0]
            _ = bytes.withUnsafeBufferPointer { target($0.baseAddress!, $0.count - 1) }
        }
        print("replayed \(paths.count) input(s) without a failure")
    }

    private static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return [path]
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }
    }
}
