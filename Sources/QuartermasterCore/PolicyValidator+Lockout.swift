extension PolicyValidator {
    /// The resource whose `write` lets an administrator change the policy.
    static let policyResource = "sys/policy"

    /// Reports a policy in which no identity may write `sys/policy`: applying it would leave
    /// nobody able to change it. Conditional allows count; only unconditional denies block.
    func lockoutProblems() -> [PolicyDiagnostic] {
        let policy = draft.policy
        let someoneCanWrite = policy.identities.contains { identity in
            let grants = policy.roles(of: identity).flatMap(\.grants)
            let applies = { (grant: Grant) in
                grant.covers(action: "write") && grant.resources.contains { $0.matches(Self.policyResource) }
            }
            let allowed = grants.contains { $0.effect == .allow && applies($0) }
            let blocked = grants.contains { $0.effect == .deny && $0.conditions.isEmpty && applies($0) }
            return allowed && !blocked
        }
        guard !someoneCanWrite else { return [] }
        return [PolicyDiagnostic(
            location: draft.documentLocation,
            message: "no identity is allowed write on \(Self.policyResource); this policy would lock out every administrator"
        )]
    }
}
