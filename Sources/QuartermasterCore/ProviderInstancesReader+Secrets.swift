import Yams

extension ProviderInstancesReader {
    /// The vault auth methods and the keys of a `vault` mapping with each, `auth` included.
    static let vaultAuthKeys: KeyValuePairs<String, [String]> = [
        "kubernetes": ["address", "auth", "role", "mount", "token_file", "kv_mount"],
        "jwt": ["address", "auth", "role", "mount", "token_file", "kv_mount"],
        "approle": ["address", "auth", "role_id", "secret_id_file", "mount", "kv_mount"],
    ]

    /// `vault_dynamic`: `vault_path` and `refresh_interval` (required), `field`, `store`
    /// (`vault` or `quartermaster`), and `vault` exactly when the store is Vault.
    mutating func readVaultDynamic(_ fields: MappingFields) -> VaultDynamicConfig? {
        let problemsBefore = diagnostics.count
        let storeName = fields["store"].flatMap { readStoreName($0) }
        let isOurStore = storeName == "quartermaster"
        let path = required("vault_path", in: fields).flatMap { isOurStore ? readSecretPath($0, for: "vault_path") : string($0, for: "vault_path") }
        let field = fields["field"].flatMap { string($0, for: "field") }
        let refreshInterval = required("refresh_interval", in: fields).flatMap { readPositiveDuration($0, for: "refresh_interval") }
        var store: VaultDynamicConfig.Store?
        if isOurStore {
            store = .quartermaster
            if let vaultKey = fields.keyNodes["vault"] {
                report("'vault' does not apply with store quartermaster; the key is read from our own secret store", at: vaultKey)
            }
        } else if fields["store"] == nil || storeName != nil {
            store = required("vault", in: fields).flatMap { readVaultConnection($0) }.map(VaultDynamicConfig.Store.vault)
        } else if let node = fields["vault"] {
            _ = readVaultConnection(node)  // an unknown store: still report the block's own problems
        }
        guard diagnostics.count == problemsBefore, let path, let refreshInterval, let store else { return nil }
        return VaultDynamicConfig(path: path, field: field ?? VaultDynamicConfig.defaultField, refreshInterval: refreshInterval, store: store)
    }

    /// `static`: `secret_path` (required, a path in our store) and `field`.
    mutating func readStaticSecret(_ fields: MappingFields) -> StaticSecretConfig? {
        let problemsBefore = diagnostics.count
        let path = required("secret_path", in: fields).flatMap { readSecretPath($0, for: "secret_path") }
        let field = fields["field"].flatMap { string($0, for: "field") }
        guard diagnostics.count == problemsBefore, let path else { return nil }
        return StaticSecretConfig(secretPath: path, field: field ?? StaticSecretConfig.defaultField)
    }

    private mutating func readStoreName(_ node: Node) -> String? {
        guard let text = string(node, for: "store") else { return nil }
        guard text == "vault" || text == "quartermaster" else {
            report("unknown store '\(text)'; expected vault or quartermaster", at: node)
            return nil
        }
        return text
    }

    /// A `vault` mapping: `address` and `auth` (required), then the keys of the auth method:
    /// `role` (required), `mount`, `token_file` for kubernetes and jwt; `role_id` and
    /// `secret_id_file` (required), `mount` for approle; `kv_mount` for all.
    private mutating func readVaultConnection(_ node: Node) -> VaultConnection? {
        let problemsBefore = diagnostics.count
        let peekedAuth = node.mapping?["auth"]?.scalar?.string
        let keys = Self.vaultAuthKeys.first { $0.key == peekedAuth }
        let context = keys.map { "vault (auth \($0.key))" } ?? "vault"
        let allowed = keys?.value ?? Self.union(Self.vaultAuthKeys.map(\.value))
        guard let fields = fields(of: node, in: context, allowed: allowed) else { return nil }
        let address = required("address", in: fields).flatMap { readURL($0, for: "address") }
        let authName = required("auth", in: fields).flatMap { readVaultAuthName($0) }
        let mount = fields["mount"].flatMap { string($0, for: "mount") }
        let kvMount = fields["kv_mount"].flatMap { string($0, for: "kv_mount") }
        var auth: VaultAuth?
        switch authName {
        case "kubernetes", "jwt":
            let role = required("role", in: fields).flatMap { string($0, for: "role") }
            let tokenFile = fields["token_file"].flatMap { string($0, for: "token_file") } ?? VaultAuth.defaultTokenFile
            if let role, let authName {
                auth = authName == "jwt"
                    ? .jwt(role: role, mount: mount ?? authName, tokenFile: tokenFile)
                    : .kubernetes(role: role, mount: mount ?? authName, tokenFile: tokenFile)
            }
        case "approle":
            let roleID = required("role_id", in: fields).flatMap { string($0, for: "role_id") }
            let secretIDFile = required("secret_id_file", in: fields).flatMap { string($0, for: "secret_id_file") }
            if let roleID, let secretIDFile {
                auth = .appRole(roleID: roleID, secretIDFile: secretIDFile, mount: mount ?? "approle")
            }
        default:
            break
        }
        guard diagnostics.count == problemsBefore, let address, let auth else { return nil }
        return VaultConnection(address: address, auth: auth, kvMount: kvMount ?? VaultConnection.defaultKVMount)
    }

    private mutating func readVaultAuthName(_ node: Node) -> String? {
        guard let text = string(node, for: "auth") else { return nil }
        guard Self.vaultAuthKeys.contains(where: { $0.key == text }) else {
            let known = Self.vaultAuthKeys.map(\.key).joined(separator: ", ")
            report("unknown vault auth '\(text)'; expected one of: \(known)", at: node)
            return nil
        }
        return text
    }
}
