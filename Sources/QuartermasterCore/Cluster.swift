/// A cluster workloads may run in, with the environment it belongs to.
public struct Cluster: Sendable, Hashable {
    /// The cluster identifier, as carried in the `cluster_id` claim.
    public let id: String
    /// The environment, such as `production` or `staging`.
    public let environment: String
    /// The issuer of the cluster's service-account tokens, when workloads authenticate with them.
    public let kubernetes: KubernetesIssuer?
    /// Where the cluster's mapping starts.
    public let location: SourceLocation

    /// Creates a cluster.
    public init(id: String, environment: String, kubernetes: KubernetesIssuer? = nil, location: SourceLocation) {
        self.id = id
        self.environment = environment
        self.kubernetes = kubernetes
        self.location = location
    }
}
