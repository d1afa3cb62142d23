import Yams

/// The string-keyed entries of one YAML mapping, with the node of each key for locations.
struct MappingFields {
    /// The mapping node itself.
    let node: Node
    /// What the mapping is, for messages: `identity`, `grant`.
    let context: String
    /// The node of each key, for locations of the key itself.
    private(set) var keyNodes: [String: Node] = [:]
    private var values: [String: Node] = [:]

    init(node: Node, context: String) {
        self.node = node
        self.context = context
    }

    /// Records an entry.
    mutating func add(key: String, keyNode: Node, value: Node) {
        values[key] = value
        keyNodes[key] = keyNode
    }

    /// The value for a key, if present.
    subscript(key: String) -> Node? {
        values[key]
    }
}
