/// Why a web config file cannot be used, naming the file, and where known the line and the
/// field (a dotted path such as `tls_server_config.min_version`).
public struct WebConfigError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var field: String?
    public var message: String

    public init(file: String, line: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// `web.yml:4: tls_server_config.min_version: …`, compiler style, so editors can jump to it.
    public var description: String {
        var text = "web config \(file)"
        if let line { text += ":\(line)" }
        if let field { text += ": \(field)" }
        return text + ": " + message
    }
}
