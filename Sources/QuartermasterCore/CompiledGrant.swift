/// One (grant, resource pattern) pair of a role, with every string a decision needs prepared.
/// A class, so that looking one up during a decision costs a single reference count.
final class CompiledGrant: Sendable {
    /// Allow or deny.
    let effect: GrantEffect
    /// The conditions that must hold.
    let conditions: Conditions
    /// Whether there are conditions to check at all.
    let isConditional: Bool
    /// The reference returned in decisions.
    let reference: GrantReference
    /// `allowed by role R grant read secret/x/** at file:line:column` (or `denied by ...`).
    let decidingReason: String
    /// `role R grant read secret/x/** at file:line:column`, for conditions-not-met reasons.
    let summary: String

    init(role: Role, grant: Grant, pattern: ResourcePattern) {
        effect = grant.effect
        conditions = grant.conditions
        isConditional = !grant.conditions.isEmpty
        reference = GrantReference(
            role: role.name,
            effect: grant.effect,
            pattern: pattern.text,
            actions: grant.actions,
            location: grant.location.description,
            lease: grant.lease
        )
        summary = "role \(role.name) grant \(grant.actions.joined(separator: ",")) \(pattern.text) at \(grant.location)"
        decidingReason = (grant.effect == .allow ? "allowed by " : "denied by ") + summary
    }
}
