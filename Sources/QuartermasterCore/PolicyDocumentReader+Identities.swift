import Yams

extension PolicyDocumentReader {
    /// Reads the `identities` list.
    mutating func readIdentities(_ node: Node) -> [Identity] {
        guard let items = items(node, for: "identities") else { return [] }
        var firstDefinitions: [String: SourceLocation] = [:]
        return items.compactMap { readIdentity($0, firstDefinitions: &firstDefinitions) }
    }

    private mutating func readIdentity(_ node: Node, firstDefinitions: inout [String: SourceLocation]) -> Identity? {
        let allowed = ["name", "kind", "description", "clusters", "roles"]
        guard let fields = fields(of: node, in: "identity", allowed: allowed) else { return nil }
        let nameNode = required("name", in: fields)
        let name = nameNode.flatMap { string($0, for: "name") }
        let kind = required("kind", in: fields).flatMap { readIdentityKind($0) }
        let description = fields["description"].flatMap { string($0, for: "description") }
        let clusters = fields["clusters"].flatMap { strings($0, for: "clusters") } ?? []
        let roles = fields["roles"].flatMap { strings($0, for: "roles") } ?? []
        let referrer = "identity '\(name ?? "?")'"
        for cluster in clusters { expect(.cluster, named: cluster.text, by: referrer, at: cluster.node) }
        for role in roles { expect(.role, named: role.text, by: referrer, at: role.node) }
        guard let name, let nameNode, claim(name, noun: "identity", at: nameNode, in: &firstDefinitions), let kind else {
            return nil
        }
        return Identity(
            name: name,
            kind: kind,
            description: description,
            clusters: clusters.map(\.text),
            roles: roles.map(\.text),
            location: location(of: node)
        )
    }

    private mutating func readIdentityKind(_ node: Node) -> IdentityKind? {
        guard let text = string(node, for: "kind") else { return nil }
        guard let kind = IdentityKind(rawValue: text) else {
            let known = IdentityKind.allCases.map(\.rawValue).joined(separator: ", ")
            report("unknown identity kind '\(text)'; expected one of: \(known)", at: node)
            return nil
        }
        return kind
    }
}
