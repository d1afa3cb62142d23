/// Resource patterns indexed by segment, so finding the patterns matching a path walks the
/// path's depth rather than every pattern. `*` and `**` segments have their own children.
struct ResourceTrie: Sendable {
    /// One trie node; child and grant positions are indices.
    struct Node: Sendable {
        var literalChildren: [Substring: Int] = [:]
        var anySegmentChild: Int?
        var anyDepthChild: Int?
        var grants: [Int] = []
    }

    private var nodes = [Node()]

    /// Files `grant` under the path of `pattern`.
    mutating func insert(_ pattern: ResourcePattern, grant: Int) {
        var current = 0
        for segment in pattern.segments {
            current = child(of: current, for: segment)
        }
        nodes[current].grants.append(grant)
    }

    /// Hands `visitor` every grant whose pattern matches `resource`, a valid resource path;
    /// a grant may be handed over more than once when its pattern has several `**`.
    func forEachMatch<Visitor: ResourceTrieVisitor>(of resource: String, visitor: inout Visitor) {
        walk(from: 0, at: resource.startIndex, in: resource, &visitor)
    }

    private func walk(from node: Int, at position: String.Index, in path: String, _ visitor: inout some ResourceTrieVisitor) {
        guard position != path.endIndex else {
            for grant in nodes[node].grants { visitor.visit(grant: grant) }
            if let anyDepth = nodes[node].anyDepthChild { walkAnyDepth(anyDepth, from: position, in: path, &visitor) }
            return
        }
        let segmentEnd = path.utf8[position...].firstIndex(of: ResourcePath.separator) ?? path.endIndex
        let next = segmentEnd == path.endIndex ? segmentEnd : path.utf8.index(after: segmentEnd)
        if let literal = nodes[node].literalChildren[path[position..<segmentEnd]] {
            walk(from: literal, at: next, in: path, &visitor)
        }
        if let anySegment = nodes[node].anySegmentChild {
            walk(from: anySegment, at: next, in: path, &visitor)
        }
        if let anyDepth = nodes[node].anyDepthChild {
            walkAnyDepth(anyDepth, from: position, in: path, &visitor)
        }
    }

    /// Continues at a `**` node after it has swallowed zero, one, ... of the remaining segments.
    private func walkAnyDepth(_ node: Int, from position: String.Index, in path: String, _ visitor: inout some ResourceTrieVisitor) {
        var position = position
        while true {
            walk(from: node, at: position, in: path, &visitor)
            guard position != path.endIndex else { return }
            let segmentEnd = path.utf8[position...].firstIndex(of: ResourcePath.separator) ?? path.endIndex
            position = segmentEnd == path.endIndex ? segmentEnd : path.utf8.index(after: segmentEnd)
        }
    }

    private mutating func child(of node: Int, for segment: ResourcePattern.Segment) -> Int {
        switch segment {
        case .literal(let literal):
            if let existing = nodes[node].literalChildren[Substring(literal)] { return existing }
            let created = appendNode()
            nodes[node].literalChildren[Substring(literal)] = created
            return created
        case .anySegment:
            if let existing = nodes[node].anySegmentChild { return existing }
            let created = appendNode()
            nodes[node].anySegmentChild = created
            return created
        case .anyDepth:
            if let existing = nodes[node].anyDepthChild { return existing }
            let created = appendNode()
            nodes[node].anyDepthChild = created
            return created
        }
    }

    private mutating func appendNode() -> Int {
        nodes.append(Node())
        return nodes.count - 1
    }
}
