import CYAML

/// Builds the tree from libyaml's events with an explicit stack (no recursion on the input's
/// nesting), refusing duplicate keys and the YAML features configs do not use.
struct TreeBuilder {
    private enum Frame {
        case list(line: Int, items: [ConfigNode])
        case mapping(Mapping)
    }

    private struct Mapping {
        var line: Int
        var entries: [ConfigEntry] = []
        /// The key read, waiting for its value.
        var key: (text: String, line: Int)?
        /// Key → line, to refuse a repeat in constant time.
        var lines: [String: Int] = [:]
    }

    private var stack: [Frame] = []
    private var root: ConfigNode?
    private var documents = 0

    mutating func build(_ parser: UnsafeMutablePointer<yaml_parser_t>) throws(ConfigSyntaxError) -> ConfigNode {
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else { throw LibYAMLParser.failure(parser) }
            defer { yaml_event_delete(&event) }
            if event.type == YAML_STREAM_END_EVENT { return root ?? ConfigNode(.null, line: 1) }
            try handle(event)
        }
    }

    private mutating func handle(_ event: yaml_event_t) throws(ConfigSyntaxError) {
        let mark = event.start_mark
        let line = mark.line + 1
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            guard documents == 1 else {
                throw LibYAMLParser.error(mark, "\"---\": only one YAML document is supported")
            }
        case YAML_ALIAS_EVENT:
            throw LibYAMLParser.error(mark, "anchors, aliases and tags (&, *, !) are not supported")
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            try refuseAnchorAndTag(scalar.anchor, scalar.tag, mark)
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let quoted = scalar.style != YAML_PLAIN_SCALAR_STYLE
            let isNull = !quoted && ["", "~", "null", "Null", "NULL"].contains(text)
            try add(ConfigNode(isNull ? .null : .scalar(text, quoted: quoted), line: line), mark)
        case YAML_SEQUENCE_START_EVENT:
            try refuseAnchorAndTag(event.data.sequence_start.anchor, event.data.sequence_start.tag, mark)
            try push(.list(line: line, items: []), mark)
        case YAML_MAPPING_START_EVENT:
            try refuseAnchorAndTag(event.data.mapping_start.anchor, event.data.mapping_start.tag, mark)
            try push(.mapping(Mapping(line: line)), mark)
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            switch stack.removeLast() {
            case .list(let line, let items): try add(ConfigNode(.list(items), line: line), mark)
            case .mapping(let mapping): try add(ConfigNode(.mapping(mapping.entries), line: mapping.line), mark)
            }
        default: break
        }
    }

    private mutating func push(_ frame: Frame, _ mark: yaml_mark_t) throws(ConfigSyntaxError) {
        guard stack.count < ConfigReader.maximumDepth else {
            throw LibYAMLParser.error(mark, "nested deeper than \(ConfigReader.maximumDepth) levels")
        }
        stack.append(frame)
    }

    /// A finished node goes into the enclosing list or mapping, or becomes the root.
    private mutating func add(_ node: ConfigNode, _ mark: yaml_mark_t) throws(ConfigSyntaxError) {
        guard let top = stack.popLast() else {
            root = node
            return
        }
        switch top {
        case .list(let line, var items):
            items.append(node)
            stack.append(.list(line: line, items: items))
        case .mapping(var mapping):
            if let key = mapping.key {
                mapping.entries.append(ConfigEntry(key: key.text, line: key.line, node: node))
                mapping.key = nil
            } else {
                let key = try keyText(node, mark)
                if let first = mapping.lines[key] {
                    throw LibYAMLParser.error(mark, "duplicate key \"\(key)\" (first on line \(first))")
                }
                mapping.lines[key] = node.line
                mapping.key = (key, node.line)
            }
            stack.append(.mapping(mapping))
        }
    }

    private func keyText(_ node: ConfigNode, _ mark: yaml_mark_t) throws(ConfigSyntaxError) -> String {
        switch node.value {
        case .scalar(let text, _): return text
        case .null: return ""
        default: throw LibYAMLParser.error(mark, "a key must be a single value, not \(node.kind)")
        }
    }

    private func refuseAnchorAndTag(
        _ anchor: UnsafeMutablePointer<yaml_char_t>?, _ tag: UnsafeMutablePointer<yaml_char_t>?, _ mark: yaml_mark_t
    ) throws(ConfigSyntaxError) {
        guard anchor == nil, tag == nil else {
            throw LibYAMLParser.error(mark, "anchors, aliases and tags (&, *, !) are not supported")
        }
    }
}
