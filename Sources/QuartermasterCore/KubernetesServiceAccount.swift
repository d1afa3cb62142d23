/// A Kubernetes service account whose verified tokens authenticate as the identity that lists it.
public struct KubernetesServiceAccount: Sendable, Hashable, CustomStringConvertible {
    /// The cluster the service account lives in; the cluster has a `kubernetes` issuer.
    public let cluster: String
    /// The namespace of the service account.
    public let namespace: String
    /// The service account's name.
    public let serviceAccount: String
    /// Where the entry's mapping starts.
    public let location: SourceLocation

    /// Creates a service-account mapping.
    public init(cluster: String, namespace: String, serviceAccount: String, location: SourceLocation) {
        self.cluster = cluster
        self.namespace = namespace
        self.serviceAccount = serviceAccount
        self.location = location
    }

    /// `cluster/namespace/service_account`, as plans and messages show it.
    public var description: String { "\(cluster)/\(namespace)/\(serviceAccount)" }

    /// The service account without its location, for lookups.
    var key: ServiceAccountKey {
        ServiceAccountKey(cluster: cluster, namespace: namespace, serviceAccount: serviceAccount)
    }
}
