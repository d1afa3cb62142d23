/// One thing an identity may (or may not) do, through one role, as a readable line.
public struct AccessEntry: Codable, Sendable, Hashable, CustomStringConvertible {
    /// `allow read secret/llm/** [cluster_id in prod-eu-1]`.
    public let access: String
    /// The role it comes through.
    public let role: String

    /// Creates an entry.
    public init(access: String, role: String) {
        self.access = access
        self.role = role
    }

    /// `allow read secret/llm/** via role orchestrator-read-secrets`.
    public var description: String { "\(access) via role \(role)" }
}
