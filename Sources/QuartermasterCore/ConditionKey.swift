/// The attribute conditions a grant may carry, in the order they are checked.
public enum ConditionKey: String, Sendable, Hashable, Codable, CaseIterable {
    /// The verified cluster of the caller.
    case clusterID = "cluster_id"
    /// The environment of the caller's cluster.
    case environment
    /// The Kubernetes namespace of the caller.
    case namespace
    /// A daily UTC window the request time must fall in.
    case timeWindow = "time_window"
    /// Networks the caller's address must belong to.
    case sourceCIDR = "source_cidr"
    /// Approved attestation measurements of the caller's runtime.
    case attestationMeasurement = "attestation_measurement"
    /// Key versions the request may use.
    case keyVersion = "key_version"

    /// The request-context key checked against this condition.
    public var contextKey: String {
        switch self {
        case .sourceCIDR: "source_ip"
        case .timeWindow: "time"
        default: rawValue
        }
    }
}
