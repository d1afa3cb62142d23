import Yams

extension PolicyDocumentReader {
    /// Reads the `identities` list.
    mutating func readIdentities(_ node: Node) -> [Identity] {
        guard let items = items(node, for: "identities") else { return [] }
        var firstDefinitions: [String: SourceLocation] = [:]
        return items.compactMap { readIdentity($0, firstDefinitions: &firstDefinitions) }
    }

    private mutating func readIdentity(_ node: Node, firstDefinitions: inout [String: SourceLocation]) -> Identity? {
        let allowed = ["name", "kind", "description", "clusters", "roles", "token", "kubernetes", "may_act_for"]
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
        let token = fields["token"].flatMap { readTokenSettings($0) }
        let serviceAccounts = fields["kubernetes"].map { readServiceAccounts($0, referrer: referrer) } ?? []
        let mayActFor = fields["may_act_for"].map { readMayActFor($0, identity: name, referrer: referrer) } ?? []
        guard let name, let nameNode else { return nil }
        declaredIdentities.insert(name)
        guard claim(name, noun: "identity", at: nameNode, in: &firstDefinitions), let kind else { return nil }
        return Identity(
            name: name,
            kind: kind,
            description: description,
            clusters: clusters.map(\.text),
            roles: roles.map(\.text),
            token: token,
            kubernetesServiceAccounts: serviceAccounts,
            mayActFor: mayActFor,
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

    /// Reads `may_act_for`: other identities, each defined in the document.
    private mutating func readMayActFor(_ node: Node, identity name: String?, referrer: String) -> [String] {
        guard let entries = strings(node, for: "may_act_for") else { return [] }
        return entries.compactMap { entry in
            guard entry.text != name else {
                report("\(referrer) may not act for itself", at: entry.node)
                return nil
            }
            expect(.identity, named: entry.text, by: "may_act_for of \(referrer)", at: entry.node)
            return entry.text
        }
    }
}
