/// Permission (or prohibition) for some actions on some resources, under conditions.
public struct Grant: Sendable, Hashable {
    /// Allow or deny.
    public let effect: GrantEffect
    /// The actions covered; `*` covers all.
    public let actions: [String]
    /// The resources covered.
    public let resources: [ResourcePattern]
    /// Attribute conditions that must all hold for the grant to apply.
    public let conditions: Conditions
    /// When set (allow grants only), what the grant hands out is leased on these terms.
    public let lease: LeaseTerms?
    /// Where the grant's mapping starts.
    public let location: SourceLocation

    /// Creates a grant.
    public init(
        effect: GrantEffect = .allow,
        actions: [String],
        resources: [ResourcePattern],
        conditions: Conditions = Conditions(),
        lease: LeaseTerms? = nil,
        location: SourceLocation
    ) {
        self.effect = effect
        self.actions = actions
        self.resources = resources
        self.conditions = conditions
        self.lease = lease
        self.location = location
    }

    /// Whether the grant names this action, directly or through `*`.
    public func covers(action: String) -> Bool {
        actions.contains(action) || actions.contains(PolicyVocabulary.anyAction)
    }
}
