/// A long-lived API key kept in our secret store (`type: static`). Nothing rotates it, so the
/// least-privilege review flags it as weak.
public struct StaticSecretConfig: Sendable, Hashable {
    /// The field read when `field` is not given.
    public static let defaultField = "api_key"

    /// The path in our secret store (below `secret/`) of the secret holding the key.
    public let secretPath: String
    /// The field of the secret holding the key.
    public let field: String

    /// Creates the configuration; the field defaults to `api_key`.
    public init(secretPath: String, field: String = Self.defaultField) {
        self.secretPath = secretPath
        self.field = field
    }
}
