/// How Quartermaster logs in to HashiCorp Vault, with the auth method's mount path.
public enum VaultAuth: Sendable, Hashable {
    /// The service-account token path used when `token_file` is not given.
    public static let defaultTokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token"

    /// The Kubernetes auth method: the service-account token in `tokenFile` logs in as `role`.
    case kubernetes(role: String, mount: String, tokenFile: String)
    /// The JWT/OIDC auth method: the JWT in `tokenFile` logs in as `role`.
    case jwt(role: String, mount: String, tokenFile: String)
    /// The AppRole auth method: `roleID` with the secret id read from `secretIDFile`.
    case appRole(roleID: String, secretIDFile: String, mount: String)

    /// The method's name as written in `auth:`, and its default mount: `kubernetes`, `jwt`, `approle`.
    public var name: String {
        switch self {
        case .kubernetes: "kubernetes"
        case .jwt: "jwt"
        case .appRole: "approle"
        }
    }

    /// The path the auth method is mounted at (`auth/MOUNT/login`).
    public var mount: String {
        switch self {
        case let .kubernetes(_, mount, _), let .jwt(_, mount, _), let .appRole(_, _, mount): mount
        }
    }
}
