import AtStatus
import Basics
import ConfigText

/// Reads a scenario file:
///
/// ```json
/// { "rootMode": "normal", "atSigns": { "@alice": "activated", "@bob": "slow:500ms" } }
/// ```
///
/// Every error names the file and, where it applies, the line, the atSign and the bad value.
public enum ScenarioFile {
    public static func load(path: String) throws(ScenarioFileError) -> Fleet {
        let text: String
        do {
            text = try TextFile.read(path)
        } catch {
            throw ScenarioFileError(path: path, problem: "cannot be read: \(error.reason)")
        }
        return try parse(text, path: path)
    }

    /// Parses the file's text; `path` is only used in messages.
    public static func parse(_ text: String, path: String) throws(ScenarioFileError) -> Fleet {
        func fail(_ problem: String) -> ScenarioFileError { ScenarioFileError(path: path, problem: problem) }
        let root: ConfigNode
        do { root = try ConfigReader.parse(text, syntax: .json) } catch {
            throw fail("is not valid JSON: \(error)")
        }
        guard case .mapping(let top) = root.value else { throw fail("must hold a JSON object") }
        if let unknown = top.first(where: { $0.key != "rootMode" && $0.key != "atSigns" }) {
            throw fail("line \(unknown.line): unknown key \"\(unknown.key.debugEscaped)\" (known: rootMode, atSigns)")
        }
        var rootMode = RootMode.normal
        if let entry = top.first(where: { $0.key == "rootMode" }) {
            guard case .scalar(let name, quoted: true) = entry.node.value else {
                throw fail("line \(entry.line): \"rootMode\" must be a string")
            }
            do { rootMode = try RootMode(name: name) } catch { throw fail(error.description) }
        }
        guard let atSigns = top.first(where: { $0.key == "atSigns" }), case .mapping(let members) = atSigns.node.value
        else {
            throw fail("needs \"atSigns\": an object mapping each atSign to a scenario name")
        }
        var entries: [FleetEntry] = []
        for member in members.sorted(by: { $0.key < $1.key }) {
            let atSign: AtSign
            do { atSign = try AtSign(member.key) } catch { throw fail(error.description) }
            guard case .scalar(let name, quoted: true) = member.node.value else {
                throw fail("atSign \(atSign): the scenario must be a string")
            }
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
