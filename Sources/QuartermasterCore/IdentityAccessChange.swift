/// How one identity's access differs between two policies.
public struct IdentityAccessChange: Codable, Sendable, Hashable {
    /// Whether the identity is new, gone, or present in both with different access.
    public enum Status: String, Codable, Sendable, Hashable {
        /// Only in the proposed policy.
        case added
        /// Only in the current policy.
        case removed
        /// In both, with different access or clusters.
        case changed
    }

    /// The identity's name.
    public let identity: String
    /// New, gone or changed.
    public let status: Status
    /// Access the proposed policy gives and the current one does not.
    public let added: [AccessEntry]
    /// Access the current policy gives and the proposed one does not.
    public let removed: [AccessEntry]
    /// Clusters the identity may newly run in.
    public let clustersAdded: [String]
    /// Clusters the identity may no longer run in.
    public let clustersRemoved: [String]

    /// Creates a change.
    public init(
        identity: String,
        status: Status,
        added: [AccessEntry],
        removed: [AccessEntry],
        clustersAdded: [String] = [],
        clustersRemoved: [String] = []
    ) {
        self.identity = identity
        self.status = status
        self.added = added
        self.removed = removed
        self.clustersAdded = clustersAdded
        self.clustersRemoved = clustersRemoved
    }
}
