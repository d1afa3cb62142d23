/// What applying a proposed policy would change, identity by identity.
public struct PolicyPlan: Codable, Sendable, Hashable {
    /// Identities only in the proposed policy.
    public let identitiesAdded: [String]
    /// Identities only in the current policy.
    public let identitiesRemoved: [String]
    /// Every identity whose access, clusters or settings differ, in document order; removed ones last.
    public let changes: [IdentityAccessChange]

    /// Creates a plan.
    public init(identitiesAdded: [String], identitiesRemoved: [String], changes: [IdentityAccessChange]) {
        self.identitiesAdded = identitiesAdded
        self.identitiesRemoved = identitiesRemoved
        self.changes = changes
    }

    /// Whether applying the proposal changes nobody's access.
    public var isEmpty: Bool { changes.isEmpty }

    /// The plan from `current` (`nil` when nothing is applied yet) to `proposed`.
    public static func between(current: Policy?, proposed: Policy) -> PolicyPlan {
        var changes: [IdentityAccessChange] = []
        for identity in proposed.identities {
            let before = current?.identity(named: identity.name)
            let change = difference(
                name: identity.name,
                status: before == nil ? .added : .changed,
                old: before.map { (current, $0) },
                new: (proposed, identity)
            )
            if let change { changes.append(change) }
        }
        for identity in current?.identities ?? [] where proposed.identity(named: identity.name) == nil {
            if let change = difference(name: identity.name, status: .removed, old: (current, identity), new: nil) {
                changes.append(change)
            }
        }
        return PolicyPlan(
            identitiesAdded: changes.filter { $0.status == .added }.map(\.identity),
            identitiesRemoved: changes.filter { $0.status == .removed }.map(\.identity),
            changes: changes
        )
    }

    private static func difference(
        name: String,
        status: IdentityAccessChange.Status,
        old: (policy: Policy?, identity: Identity)?,
        new: (policy: Policy, identity: Identity)?
    ) -> IdentityAccessChange? {
        let oldEntries = old.map { entries(of: $0.identity, in: $0.policy) } ?? []
        let newEntries = new.map { entries(of: $0.identity, in: $0.policy) } ?? []
        let oldClusters = old?.identity.clusters ?? [], newClusters = new?.identity.clusters ?? []
        let change = IdentityAccessChange(
            identity: name,
            status: status,
            added: newEntries.filter { !oldEntries.contains($0) },
            removed: oldEntries.filter { !newEntries.contains($0) },
            clustersAdded: newClusters.filter { !oldClusters.contains($0) },
            clustersRemoved: oldClusters.filter { !newClusters.contains($0) },
            settings: settingChanges(old: old?.identity, new: new?.identity)
        )
        let isUnchanged = change.added.isEmpty && change.removed.isEmpty
            && change.clustersAdded.isEmpty && change.clustersRemoved.isEmpty && change.settings.isEmpty
        return status == .changed && isUnchanged ? nil : change
    }

    /// Every access line of an identity, through each of its roles, without repeats.
    private static func entries(of identity: Identity, in policy: Policy?) -> [AccessEntry] {
        guard let policy else { return [] }
        var seen: Set<AccessEntry> = []
        return policy.roles(of: identity).flatMap { role in
            role.grants.flatMap(\.accessTexts).map { AccessEntry(access: $0, role: role.name) }
        }.filter { seen.insert($0).inserted }
    }
}
