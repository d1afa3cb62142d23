/// Where a HashiCorp Vault is and how Quartermaster logs in to it.
public struct VaultConnection: Sendable, Hashable {
    /// The KV mount read when `kv_mount` is not given.
    public static let defaultKVMount = "secret"

    /// The Vault address: https, or http on a loopback host.
    public let address: String
    /// How to log in.
    public let auth: VaultAuth
    /// The mount of the KV secrets engine the path is read from.
    public let kvMount: String

    /// Creates a connection; the KV mount defaults to `secret`.
    public init(address: String, auth: VaultAuth, kvMount: String = Self.defaultKVMount) {
        self.address = address
        self.auth = auth
        self.kvMount = kvMount
    }
}
