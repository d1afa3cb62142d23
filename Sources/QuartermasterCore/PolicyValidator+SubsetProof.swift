extension PolicyValidator {
    /// Proves each `subset_of` claim: every allow of the role is covered by an allow of the
    /// parent with conditions at least as loose, and every deny of the parent is covered by a
    /// deny of the role with conditions at least as loose. Reports each gap.
    func subsetProofProblems() -> [PolicyDiagnostic] {
        draft.policy.roles.flatMap { role -> [PolicyDiagnostic] in
            guard let parentName = role.subsetOf, let parent = draft.policy.role(named: parentName) else { return [] }
            return uncoveredAllows(of: role, parent: parent) + uncoveredDenies(of: parent, child: role)
        }
    }

    private func uncoveredAllows(of role: Role, parent: Role) -> [PolicyDiagnostic] {
        var problems: [PolicyDiagnostic] = []
        for grant in role.grants where grant.effect == .allow {
            for action in grant.actions {
                for pattern in grant.resources where !Self.isCovered(action, pattern, grant.conditions, by: parent.grants, effect: .allow) {
                    let access = Grant.accessText(.allow, action, pattern, grant.conditions)
                    problems.append(PolicyDiagnostic(
                        location: pattern.location ?? grant.location,
                        message: "role '\(role.name)' is not a subset of '\(parent.name)': \(access) is not covered by any allow grant of '\(parent.name)'"
                    ))
                }
            }
        }
        return problems
    }

    private func uncoveredDenies(of parent: Role, child: Role) -> [PolicyDiagnostic] {
        let location = draft.subsetOfLocations[child.name] ?? child.location
        var problems: [PolicyDiagnostic] = []
        for deny in parent.grants where deny.effect == .deny {
            for action in deny.actions {
                for pattern in deny.resources where !Self.isCovered(action, pattern, deny.conditions, by: child.grants, effect: .deny) {
                    let access = Grant.accessText(.deny, action, pattern, deny.conditions)
                    problems.append(PolicyDiagnostic(
                        location: location,
                        message: "role '\(child.name)' is not a subset of '\(parent.name)': '\(parent.name)' has \(access) at \(deny.location) and '\(child.name)' has no deny covering it"
                    ))
                }
            }
        }
        return problems
    }

    /// Whether one of `grants` with this effect names the action, has a pattern covering
    /// `pattern`, and applies whenever `conditions` hold.
    private static func isCovered(
        _ action: String,
        _ pattern: ResourcePattern,
        _ conditions: Conditions,
        by grants: [Grant],
        effect: GrantEffect
    ) -> Bool {
        grants.contains { candidate in
            candidate.effect == effect
                && candidate.covers(action: action)
                && candidate.conditions.isAtLeastAsLoose(as: conditions)
                && candidate.resources.contains { $0.covers(pattern) }
        }
    }
}
