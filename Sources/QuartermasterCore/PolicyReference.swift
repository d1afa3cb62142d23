/// A name used in one place of a document that must be defined in another.
struct PolicyReference: Sendable {
    /// What sort of definition the name must resolve to.
    enum Target: Sendable {
        case role
        case cluster
        case identity
        /// A cluster with a `kubernetes` issuer.
        case kubernetesCluster
    }

    /// What the name must resolve to.
    let target: Target
    /// The name used.
    let name: String
    /// Who uses it, for the message: `identity 'gateway-service'`.
    let referrer: String
    /// Where the name is written.
    let location: SourceLocation
}
