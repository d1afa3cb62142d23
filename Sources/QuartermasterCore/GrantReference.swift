/// The grant that decided a request, as shown to people and in JSON.
public struct GrantReference: Codable, Sendable, Hashable {
    /// The role holding the grant.
    public let role: String
    /// Allow or deny.
    public let effect: GrantEffect
    /// The resource pattern that matched.
    public let pattern: String
    /// The grant's actions.
    public let actions: [String]
    /// Where the grant is written: `file:line:column`.
    public let location: String
    /// The grant's lease terms, when what it hands out is leased.
    public let lease: LeaseTerms?

    /// Creates a reference.
    public init(role: String, effect: GrantEffect, pattern: String, actions: [String], location: String, lease: LeaseTerms? = nil) {
        self.role = role
        self.effect = effect
        self.pattern = pattern
        self.actions = actions
        self.location = location
        self.lease = lease
    }
}
