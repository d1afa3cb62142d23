/// A principal: a service, agent, pipeline or person, with the clusters it runs in and its roles.
public struct Identity: Sendable, Hashable {
    /// The unique name, used as the token subject.
    public let name: String
    /// What sort of principal this is.
    public let kind: IdentityKind
    /// Free text for readers.
    public let description: String?
    /// Desired state: the clusters an instance of this identity may run in.
    public let clusters: [String]
    /// The roles whose grants this identity holds.
    public let roles: [String]
    /// Where the identity's mapping starts.
    public let location: SourceLocation

    /// Creates an identity.
    public init(
        name: String,
        kind: IdentityKind,
        description: String? = nil,
        clusters: [String] = [],
        roles: [String] = [],
        location: SourceLocation
    ) {
        self.name = name
        self.kind = kind
        self.description = description
        self.clusters = clusters
        self.roles = roles
        self.location = location
    }
}
