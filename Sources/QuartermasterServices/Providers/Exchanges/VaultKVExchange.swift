import AsyncHTTPClient
import Foundation

/// HashiCorp Vault: logs in, then reads one field of a KV version 2 secret, an API key that Vault
/// (or whoever writes it there) rotates.
///
/// The requests are the ones hvac sends, each with `X-Vault-Request: true`:
/// 1. `POST {address}/v1/auth/{mount}/login` with the JSON `{"role": …, "jwt": …}` (kubernetes and
///    jwt auth, as `auth.kubernetes.login` and `auth.jwt.jwt_login`) or
///    `{"role_id": …, "secret_id": …}` (AppRole, as `auth.approle.login`);
/// 2. `GET {address}/v1/{kv_mount}/data/{path}` with `X-Vault-Token` set to the login's
///    `auth.client_token` (as `secrets.kv.v2.read_secret_version`).
///
/// Mounts and the path are percent-encoded as hvac does (`/` kept). The credential is the
/// field's string value as an API key, expiring one refresh interval after the request, when it
/// is read again. Vault's `errors` list becomes the error's provider text.
public struct VaultKVExchange: CredentialExchange {
    /// Where Vault is and what to read.
    public struct Settings: Sendable, Equatable {
        /// The Vault address, such as `https://vault.example.com:8200`.
        public var address: String
        /// The mount of the KV version 2 secrets engine.
        public var kvMount: String
        /// The secret's path below the mount.
        public var path: String
        /// The field of the secret that holds the key.
        public var field: String
        /// How often the key is read again; the credential expires after it.
        public var refreshInterval: Duration

        /// Creates settings; the defaults are those of `provider-instances.yaml`.
        public init(address: String, kvMount: String = "secret", path: String, field: String = "key", refreshInterval: Duration) {
            self.address = address
            self.kvMount = kvMount
            self.path = path
            self.field = field
            self.refreshInterval = refreshInterval
        }
    }

    /// How to log in to Vault, with the auth method's mount path.
    public enum Login: Sendable {
        /// The Kubernetes auth method: a service-account token logs in as `role`.
        case kubernetes(role: String, mount: String = "kubernetes", jwt: WebIdentityTokenSource)
        /// The JWT/OIDC auth method: a JWT logs in as `role`.
        case jwt(role: String, mount: String = "jwt", jwt: WebIdentityTokenSource)
        /// The AppRole auth method: `roleID` with a secret id.
        case appRole(roleID: String, mount: String = "approle", secretID: ProviderSecretSource)
    }

    public let settings: Settings
    private let login: Login
    private let httpClient: HTTPClient
    private let timeout: Duration

    public var method: String { "vault_dynamic" }

    /// An exchange logging in with `login`; one fetch (both requests) takes at most `timeout`.
    public init(settings: Settings, login: Login, httpClient: HTTPClient = .shared, timeout: Duration = .seconds(10)) {
        self.settings = settings
        self.login = login
        self.httpClient = httpClient
        self.timeout = timeout
    }

    public func fetch(now: Date) async throws(CredentialExchangeError) -> ProviderCredential {
        let address = try ExchangeEndpoint.validated(settings.address, setting: "the Vault address")
        let body: [UInt8]
        let mount: String
        let loginSecret: String
        switch login {
        case .kubernetes(let role, let authMount, let jwt), .jwt(let role, let authMount, let jwt):
            mount = authMount
            loginSecret = try await ExchangeSecret.read(jwt, what: "the JWT")
            body = ExchangeJSON.object(["role": .string(role), "jwt": .string(loginSecret)])
        case .appRole(let roleID, let authMount, let secretID):
            mount = authMount
            loginSecret = try await ExchangeSecret.read(secretID, what: "the AppRole secret id")
            body = ExchangeJSON.object(["role_id": .string(roleID), "secret_id": .string(loginSecret)])
        }
        let transport = ExchangeTransport(client: httpClient, timeout: timeout)

        let loginRequest = ExchangeRequest(
            method: .POST,
            url: address + "/v1/auth/\(Self.pathEscape(mount))/login",
            headers: [("X-Vault-Request", "true"), ("Content-Type", "application/json")],
            body: body
        )
        let loginResponse = try await transport.send(loginRequest)
        guard loginResponse.isSuccess else {
            throw loginResponse.refusal(message: Self.errors(in: loginResponse), redacting: [loginSecret])
        }
        guard let clientToken = loginResponse.decode(VaultLogin.self)?.auth?.clientToken, !clientToken.isEmpty else {
            throw .malformedResponse("the Vault login answer is not JSON with auth.client_token")
        }

        let secretPath = "\(Self.pathEscape(settings.kvMount))/data/\(Self.pathEscape(settings.path))"
        let readRequest = ExchangeRequest(
            method: .GET,
            url: address + "/v1/" + secretPath,
            headers: [("X-Vault-Request", "true"), ("X-Vault-Token", clientToken)],
            body: nil
        )
        let readResponse = try await transport.send(readRequest)
        guard readResponse.isSuccess else {
            throw readResponse.refusal(message: Self.errors(in: readResponse), redacting: [loginSecret, clientToken])
        }
        guard let data = readResponse.decode(VaultKVRead.self)?.data?.data else {
            throw .malformedResponse("the Vault answer for \(secretPath) is not a KV version 2 secret (no data.data)")
        }
        guard case .string(let value)? = data[settings.field], !value.isEmpty else {
            throw .malformedResponse("the secret at \(secretPath) has no non-empty string field '\(settings.field)'")
        }
        let interval = settings.refreshInterval.components
        let lifetime = TimeInterval(interval.seconds) + TimeInterval(interval.attoseconds) / 1e18
        return ProviderCredential(kind: .apiKey(value: value), expiresAt: now.addingTimeInterval(lifetime), obtainedAt: now)
    }

    /// A mount or path as hvac writes it into a URL: Python's `quote` with `/` kept.
    private static func pathEscape(_ text: String) -> String {
        ExchangeForm.escape(text, keeping: [UInt8(ascii: "/")])
    }

    /// Vault's `{"errors": [...]}`, joined.
    private static func errors(in response: ExchangeResponse) -> String? {
        guard let errors = response.decode(VaultErrors.self)?.errors, !errors.isEmpty else { return nil }
        return errors.joined(separator: "; ")
    }
}

/// A login answer (the field used).
private struct VaultLogin: Decodable {
    struct Auth: Decodable {
        var clientToken: String?

        enum CodingKeys: String, CodingKey {
            case clientToken = "client_token"
        }
    }

    var auth: Auth?
}

/// A KV version 2 read answer: `{"data": {"data": {...}, "metadata": {...}}}`.
private struct VaultKVRead: Decodable {
    struct Version: Decodable {
        var data: [String: VaultField]?
    }

    var data: Version?
}

/// A field of a secret: only strings are keys; anything else is kept apart, never decoded.
private enum VaultField: Decodable {
    case string(String)
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = (try? container.decode(String.self)).map(VaultField.string) ?? .other
    }
}

/// Vault's error body.
private struct VaultErrors: Decodable {
    var errors: [String]?
}
