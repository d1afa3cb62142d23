/// How one identity's access differs between two policies.
public struct IdentityAccessChange: Codable, Sendable, Hashable {
    /// Whether the identity (or one of its settings) is new, gone, or present in both but different.
    public enum Status: String, Codable, Sendable, Hashable {
        /// Only in the proposed policy.
        case added
        /// Only in the current policy.
        case removed
        /// In both, with different access, clusters or settings.
        case changed

        /// `+`, `-` or `~`, as plans print it.
        var marker: String {
            switch self {
            case .added: "+"
            case .removed: "-"
            case .changed: "~"
            }
        }
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
    /// Changes to its Kubernetes service accounts, delegation and token settings, in that order.
    public let settings: [IdentitySettingChange]

    /// Creates a change.
    public init(
        identity: String,
        status: Status,
        added: [AccessEntry],
        removed: [AccessEntry],
        clustersAdded: [String] = [],
        clustersRemoved: [String] = [],
        settings: [IdentitySettingChange] = []
    ) {
        self.identity = identity
        self.status = status
        self.added = added
        self.removed = removed
        self.clustersAdded = clustersAdded
        self.clustersRemoved = clustersRemoved
        self.settings = settings
    }
}
