/// An API key read from a secret store and read again every `refreshInterval`
/// (`type: vault_dynamic`), so a rotation there reaches the provider without a restart.
public struct VaultDynamicConfig: Sendable, Hashable {
    /// Which store holds the key.
    public enum Store: Sendable, Hashable {
        /// A HashiCorp Vault (`store: vault`, the default), reached through `vault:`.
        case vault(VaultConnection)
        /// Our own secret store (`store: quartermaster`); `path` is then a path below `secret/`.
        case quartermaster
    }

    /// The field read when `field` is not given.
    public static let defaultField = "key"

    /// The secret's path in the store.
    public let path: String
    /// The field of the secret holding the key.
    public let field: String
    /// How often the key is read again.
    public let refreshInterval: Duration
    /// Which store holds the key.
    public let store: Store

    /// Creates the configuration; the field defaults to `key`.
    public init(path: String, field: String = Self.defaultField, refreshInterval: Duration, store: Store) {
        self.path = path
        self.field = field
        self.refreshInterval = refreshInterval
        self.store = store
    }
}
