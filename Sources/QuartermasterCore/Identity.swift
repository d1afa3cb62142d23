/// A principal: a service, agent, pipeline or person, with the clusters it runs in, its roles,
/// how its tokens are issued, the Kubernetes service accounts that are it, and whom it may act for.
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
    /// Token lifetime and audiences; `nil` when the policy sets none (see `allowedAudiences`, `tokenTTL`).
    public let token: TokenSettings?
    /// The Kubernetes service accounts whose verified tokens authenticate as this identity.
    public let kubernetesServiceAccounts: [KubernetesServiceAccount]
    /// The identities this one may act on behalf of (RFC 8693 delegation, the `act` claim).
    public let mayActFor: [String]
    /// Where the identity's mapping starts.
    public let location: SourceLocation

    /// Creates an identity.
    public init(
        name: String,
        kind: IdentityKind,
        description: String? = nil,
        clusters: [String] = [],
        roles: [String] = [],
        token: TokenSettings? = nil,
        kubernetesServiceAccounts: [KubernetesServiceAccount] = [],
        mayActFor: [String] = [],
        location: SourceLocation
    ) {
        self.name = name
        self.kind = kind
        self.description = description
        self.clusters = clusters
        self.roles = roles
        self.token = token
        self.kubernetesServiceAccounts = kubernetesServiceAccounts
        self.mayActFor = mayActFor
        self.location = location
    }
}
