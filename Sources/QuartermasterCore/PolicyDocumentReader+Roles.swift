import Yams

extension PolicyDocumentReader {
    /// Reads the `roles` list.
    mutating func readRoles(_ node: Node) -> [Role] {
        guard let items = items(node, for: "roles") else { return [] }
        var firstDefinitions: [String: SourceLocation] = [:]
        return items.compactMap { readRole($0, firstDefinitions: &firstDefinitions) }
    }

    private mutating func readRole(_ node: Node, firstDefinitions: inout [String: SourceLocation]) -> Role? {
        let allowed = ["name", "description", "subset_of", "grants"]
        guard let fields = fields(of: node, in: "role", allowed: allowed) else { return nil }
        let nameNode = required("name", in: fields)
        let name = nameNode.flatMap { string($0, for: "name") }
        let description = fields["description"].flatMap { string($0, for: "description") }
        let subsetOfNode = fields["subset_of"]
        let subsetOf = subsetOfNode.flatMap { string($0, for: "subset_of") }
        let referrer = "role '\(name ?? "?")'"
        let grants = required("grants", in: fields).flatMap { readGrants($0, referrer: referrer) }
        if let subsetOf, let subsetOfNode {
            expect(.role, named: subsetOf, by: "subset_of of \(referrer)", at: subsetOfNode)
        }
        guard let name, let nameNode else { return nil }
        declaredRoles.insert(name)
        guard claim(name, noun: "role", at: nameNode, in: &firstDefinitions), let grants else { return nil }
        if let subsetOfNode { subsetOfLocations[name] = location(of: subsetOfNode) }
        return Role(name: name, description: description, subsetOf: subsetOf, grants: grants, location: location(of: node))
    }

    private mutating func readGrants(_ node: Node, referrer: String) -> [Grant]? {
        guard let items = items(node, for: "grants") else { return nil }
        return items.compactMap { readGrant($0, referrer: referrer) }
    }

    private mutating func readGrant(_ node: Node, referrer: String) -> Grant? {
        let allowed = ["actions", "resources", "effect", "conditions", "lease"]
        guard let fields = fields(of: node, in: "grant", allowed: allowed) else { return nil }
        let effect = fields["effect"].flatMap { readEffect($0) }
        let actions = required("actions", in: fields).flatMap { readActions($0) }
        let resources = required("resources", in: fields).flatMap { readResources($0) }
        let conditions = fields["conditions"].flatMap { readConditions($0, referrer: referrer) }
        let lease = fields["lease"].flatMap { readLeaseTerms($0) }
        if effect == .deny, let leaseNode = fields.keyNodes["lease"] {
            report("a deny grant hands nothing out, so it cannot have a 'lease'", at: leaseNode)
        }
        guard let actions, let resources else { return nil }
        return Grant(
            effect: effect ?? .allow,
            actions: actions,
            resources: resources,
            conditions: conditions ?? Conditions(),
            lease: effect == .deny ? nil : lease,
            location: location(of: node)
        )
    }

    private mutating func readEffect(_ node: Node) -> GrantEffect? {
        guard let text = string(node, for: "effect") else { return nil }
        guard let effect = GrantEffect(rawValue: text) else {
            report("unknown effect '\(text)'; expected allow or deny", at: node)
            return nil
        }
        return effect
    }

    private mutating func readActions(_ node: Node) -> [String]? {
        guard let entries = nonEmptyStrings(node, for: "actions") else { return nil }
        let known = PolicyVocabulary.actions
        for entry in entries where !known.contains(entry.text) {
            report("unknown action '\(entry.text)'; expected one of: \(known.joined(separator: ", "))", at: entry.node)
        }
        return entries.map(\.text).filter(known.contains)
    }

    private mutating func readResources(_ node: Node) -> [ResourcePattern]? {
        guard let entries = nonEmptyStrings(node, for: "resources") else { return nil }
        return entries.compactMap { entry in
            do throws(ResourcePatternError) {
                return try ResourcePattern(entry.text, location: location(of: entry.node))
            } catch {
                report(error.description, at: entry.node)
                return nil
            }
        }
    }
}
