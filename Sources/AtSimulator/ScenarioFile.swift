import AtStatus
import Foundation

/// Reads a scenario file:
///
/// ```json
/// { "rootMode": "normal", "atSigns": { "@alice": "activated", "@bob": "slow:500ms" } }
/// ```
///
/// Every error names the file and, where it applies, the atSign and the bad value.
public enum ScenarioFile {
    public static func load(path: String) throws(ScenarioFileError) -> Fleet {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ScenarioFileError(path: path, problem: "cannot be read: \(error.localizedDescription)")
        }
        return try parse(data, path: path)
    }

    /// Parses the file's bytes; `path` is only used in messages.
    public static func parse(_ data: Data, path: String) throws(ScenarioFileError) -> Fleet {
        func fail(_ problem: String) -> ScenarioFileError { ScenarioFileError(path: path, problem: problem) }
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw fail("is not valid JSON: \(error.localizedDescription)")
        }
        guard let top = json as? [String: Any] else { throw fail("must hold a JSON object") }
        if let unknown = top.keys.sorted().first(where: { $0 != "rootMode" && $0 != "atSigns" }) {
            throw fail("unknown key \"\(unknown)\" (known: rootMode, atSigns)")
        }
        var rootMode = RootMode.normal
        if let value = top["rootMode"] {
            guard let name = value as? String else { throw fail("\"rootMode\" must be a string") }
            do { rootMode = try RootMode(name: name) } catch { throw fail(error.description) }
        }
        guard let atSigns = top["atSigns"] as? [String: Any] else {
            throw fail("needs \"atSigns\": an object mapping each atSign to a scenario name")
        }
        var entries: [FleetEntry] = []
        for (raw, value) in atSigns.sorted(by: { $0.key < $1.key }) {
            let atSign: AtSign
            do { atSign = try AtSign(raw) } catch { throw fail(error.description) }
            guard let name = value as? String else { throw fail("atSign \(atSign): the scenario must be a string") }
            guard !entries.contains(where: { $0.atSign == atSign }) else {
                throw fail("atSign \(atSign) is listed twice")
            }
            do {
                entries.append(FleetEntry(atSign: atSign, scenario: try Scenario(name: name)))
            } catch {
                throw fail("atSign \(atSign): \(error)")
            }
        }
        return Fleet(entries: entries, rootMode: rootMode)
    }
}

/// A scenario file that cannot be used; the message starts with the file's path.
public struct ScenarioFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let problem: String

    public var description: String { "\(path): \(problem)" }
}
