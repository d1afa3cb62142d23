import Yams

/// What a reader of a YAML document needs to share the generic reading helpers: the name the
/// document was loaded under and the problems found so far. The policy reader and the provider
/// instances reader both conform; the helpers report every problem at `file:line:column`.
protocol DocumentReading {
    /// The name the document was loaded under.
    var sourceName: String { get }
    /// Problems found so far, in the order found.
    var diagnostics: [PolicyDiagnostic] { get set }
}

extension DocumentReading {
    /// Where a node starts.
    func location(of node: Node) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: sourceName, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// Records a problem at a node.
    mutating func report(_ message: String, at node: Node) {
        report(message, at: location(of: node))
    }

    /// Records a problem at a location.
    mutating func report(_ message: String, at location: SourceLocation) {
        diagnostics.append(PolicyDiagnostic(location: location, message: message))
    }

    /// The entries of a mapping whose keys must come from `allowed`; reports other shapes and keys.
    mutating func fields(of node: Node, in context: String, allowed: [String], keyNoun: String = "key") -> MappingFields? {
        guard let mapping = node.mapping else {
            report("expected a mapping for \(context), found \(Self.shape(of: node))", at: node)
            return nil
        }
        var fields = MappingFields(node: node, context: context)
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string, !keyNode.isNull else {
                report("expected a string key in \(context), found \(Self.shape(of: keyNode))", at: keyNode)
                continue
            }
            guard allowed.contains(key) else {
                report("unknown \(keyNoun) '\(key)' in \(context); expected one of: \(allowed.joined(separator: ", "))", at: keyNode)
                continue
            }
            fields.add(key: key, keyNode: keyNode, value: value)
        }
        return fields
    }

    /// The value of a required key; reports its absence at the mapping.
    mutating func required(_ key: String, in fields: MappingFields) -> Node? {
        guard let value = fields[key] else {
            report("missing required key '\(key)' in \(fields.context)", at: fields.node)
            return nil
        }
        return value
    }

    /// The text of a non-null scalar; reports other shapes.
    mutating func string(_ node: Node, for key: String) -> String? {
        guard let scalar = node.scalar, !node.isNull else {
            report("expected a string for '\(key)', found \(Self.shape(of: node))", at: node)
            return nil
        }
        guard !scalar.string.isEmpty else {
            report("'\(key)' must not be empty", at: node)
            return nil
        }
        return scalar.string
    }

    /// The items of a sequence; reports other shapes.
    mutating func items(_ node: Node, for key: String) -> [Node]? {
        guard let sequence = node.sequence else {
            report("expected a list for '\(key)', found \(Self.shape(of: node))", at: node)
            return nil
        }
        return Array(sequence)
    }

    /// The strings of a sequence with the node of each; reports other shapes and non-string items.
    mutating func strings(_ node: Node, for key: String) -> [(text: String, node: Node)]? {
        guard let items = items(node, for: key) else { return nil }
        return items.compactMap { item in string(item, for: key).map { ($0, item) } }
    }

    /// A list of strings that must have at least one entry.
    mutating func nonEmptyStrings(_ node: Node, for key: String) -> [(text: String, node: Node)]? {
        guard let entries = strings(node, for: key) else { return nil }
        if node.sequence?.isEmpty == true {
            report("'\(key)' must list at least one entry", at: node)
        }
        return entries
    }

    /// The strings of a single scalar or a sequence of scalars.
    mutating func stringOrStrings(_ node: Node, for key: String) -> [(text: String, node: Node)]? {
        if node.sequence != nil { return strings(node, for: key) }
        return string(node, for: key).map { [($0, node)] }
    }

    /// A short description of a node's shape: `a mapping`, `a list`, `null`, `'text'`.
    static func shape(of node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar where node.isNull: "null"
        case .scalar(let scalar): "'\(scalar.string)'"
        case .alias: "an alias"
        }
    }
}
