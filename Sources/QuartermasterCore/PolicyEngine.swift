import Foundation

/// Answers authorization requests against a compiled policy: deny by default, an applicable
/// explicit deny beats any allow. Each identity gets, per action (and `*`), a trie of its
/// grants' resource patterns, so a decision costs the depth of the path, not the number of grants.
public final class PolicyEngine: Sendable {
    /// The policy the engine was compiled from.
    public let policy: Policy

    private let grants: [CompiledGrant]
    private let indexes: [String: IdentityIndex]

    /// The tries of one identity, keyed by action.
    private struct IdentityIndex: Sendable {
        var tries: [String: ResourceTrie] = [:]
    }

    private static let concreteActions = Set(PolicyVocabulary.actions.filter { $0 != PolicyVocabulary.anyAction })

    /// Compiles the index. Identities holding the same roles share one index.
    public init(policy: Policy) {
        self.policy = policy
        var grants: [CompiledGrant] = []
        var grantsByRole: [String: [(grant: Int, actions: [String], pattern: ResourcePattern)]] = [:]
        for role in policy.roles where grantsByRole[role.name] == nil {
            var entries: [(grant: Int, actions: [String], pattern: ResourcePattern)] = []
            for grant in role.grants {
                for pattern in grant.resources {
                    entries.append((grants.count, grant.actions, pattern))
                    grants.append(CompiledGrant(role: role, grant: grant, pattern: pattern))
                }
            }
            grantsByRole[role.name] = entries
        }
        var indexesByRoles: [[String]: IdentityIndex] = [:]
        var indexes: [String: IdentityIndex] = [:]
        for identity in policy.identities where indexes[identity.name] == nil {
            var roleNames: [String] = []
            for name in identity.roles where !roleNames.contains(name) { roleNames.append(name) }
            if indexesByRoles[roleNames] == nil {
                var index = IdentityIndex()
                for entry in roleNames.flatMap({ grantsByRole[$0] ?? [] }) {
                    for action in entry.actions {
                        index.tries[action, default: ResourceTrie()].insert(entry.pattern, grant: entry.grant)
                    }
                }
                indexesByRoles[roleNames] = index
            }
            indexes[identity.name] = indexesByRoles[roleNames]
        }
        self.grants = grants
        self.indexes = indexes
    }

    /// Decides one request; `now` is the time used when the context carries no `time`.
    public func decide(_ request: AuthorizationRequest, now: Date = Date()) -> Decision {
        guard let index = indexes[request.subject] else {
            return Decision(allowed: false, reason: "unknown identity \(request.subject)")
        }
        guard Self.concreteActions.contains(request.action) else {
            return Decision(allowed: false, reason: "unknown action \(request.action)")
        }
        guard ResourcePath.isValid(request.resource) else {
            return Decision(allowed: false, reason: "invalid resource \(request.resource)")
        }
        var matches = GrantMatches(grants: grants, context: request.context, now: now)
        index.tries[request.action]?.forEachMatch(of: request.resource, visitor: &matches)
        index.tries[PolicyVocabulary.anyAction]?.forEachMatch(of: request.resource, visitor: &matches)
        return decision(for: matches, request: request, now: now)
    }

    /// Decides several requests at the same `now`.
    public func decide(_ requests: [AuthorizationRequest], now: Date = Date()) -> [Decision] {
        requests.map { decide($0, now: now) }
    }

    private func decision(for matches: GrantMatches, request: AuthorizationRequest, now: Date) -> Decision {
        if let deny = matches.deny {
            return Decision(allowed: false, reason: grants[deny].decidingReason, grant: grants[deny].reference)
        }
        if let allow = matches.allow {
            return Decision(allowed: true, reason: grants[allow].decidingReason, grant: grants[allow].reference)
        }
        if let unmet = matches.unmetAllow,
           let failure = grants[unmet].conditions.unmetDescription(in: request.context, now: now) {
            return Decision(allowed: false, reason: "conditions not met: \(failure) (\(grants[unmet].summary))")
        }
        return Decision(
            allowed: false,
            reason: "no grant of identity \(request.subject) allows \(request.action) on \(request.resource)"
        )
    }
}
