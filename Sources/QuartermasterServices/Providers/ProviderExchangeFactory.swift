import AsyncHTTPClient
import Foundation
import QuartermasterCore

/// Builds the exchange for each provider instance from its parsed configuration, wiring the
/// web identity (a token our issuer mints, or a projected token file) and our secret store.
public struct ProviderExchangeFactory: Sendable {
    private let issuer: TokenIssuer?
    private let secrets: SecretService?
    private let http: HTTPClient

    /// `issuer` mints web identity tokens for `identity:` sources; `secrets` serves `static`,
    /// `store: quartermaster` and IBM API keys. Without them those instances fail to build.
    public init(issuer: TokenIssuer?, secrets: SecretService?, http: HTTPClient = .shared) {
        self.issuer = issuer
        self.secrets = secrets
        self.http = http
    }

    /// The exchange for `instance`, or `ServiceError.invalidInput` when a source it needs is missing.
    public func exchange(for instance: ProviderInstance) throws(ServiceError) -> any CredentialExchange {
        let timeout = instance.refresh.timeout
        switch instance.authentication {
        case .awsWebIdentity(let config):
            let settings = AWSWebIdentityExchange.Settings(roleARN: config.roleARN, sessionName: config.sessionName, duration: config.duration, endpoint: config.endpoint)
            return AWSWebIdentityExchange(settings: settings, token: try webIdentity(config.source, instance: instance), httpClient: http, timeout: timeout)
        case .azureWorkloadIdentity(let config):
            let settings = AzureWorkloadIdentityExchange.Settings(tenantID: config.tenantID, clientID: config.clientID, scope: config.scope, authority: config.authority)
            return AzureWorkloadIdentityExchange(settings: settings, token: try webIdentity(config.source, instance: instance), httpClient: http, timeout: timeout)
        case .gcpWorkloadIdentity(let config):
            let settings = GCPWorkloadIdentityExchange.Settings(audience: config.audience, serviceAccount: config.serviceAccount, scope: config.scope, stsEndpoint: config.stsEndpoint, iamEndpoint: config.iamEndpoint)
            return GCPWorkloadIdentityExchange(settings: settings, token: try webIdentity(config.source, instance: instance), httpClient: http, timeout: timeout)
        case .ibmTrustedProfile(let config):
            let grant = IBMIAMExchange.Grant.trustedProfile(profileID: config.profileID, crToken: try webIdentity(config.source, instance: instance))
            return IBMIAMExchange(settings: IBMIAMExchange.Settings(endpoint: config.endpoint), grant: grant, httpClient: http, timeout: timeout)
        case .ibmAPIKey(let config):
            let grant = IBMIAMExchange.Grant.apiKey(try storedSecret(config.apiKeySecret, field: "api_key", instance: instance))
            return IBMIAMExchange(settings: IBMIAMExchange.Settings(endpoint: config.endpoint), grant: grant, httpClient: http, timeout: timeout)
        case .ociResourcePrincipal(let config):
            return OCIResourcePrincipalExchange(settings: OCIResourcePrincipalExchange.Settings(sessionTokenFile: config.sessionTokenFile, privateKeyFile: config.privateKeyFile))
        case .vaultDynamic(let config):
            switch config.store {
            case .quartermaster:
                return StoredSecretExchange(method: instance.method, secrets: try secretService(instance), path: try secretPath(config.path, instance: instance), field: config.field, validity: config.refreshInterval)
            case .vault(let connection):
                // `vault_path` as the Vault CLI writes it (`secret/openai/api-key`) or relative to the KV mount.
                let mountPrefix = connection.kvMount + "/"
                let path = config.path.hasPrefix(mountPrefix) ? String(config.path.dropFirst(mountPrefix.count)) : config.path
                let settings = VaultKVExchange.Settings(address: connection.address, kvMount: connection.kvMount, path: path, field: config.field, refreshInterval: config.refreshInterval)
                return VaultKVExchange(settings: settings, login: Self.login(connection.auth), httpClient: http, timeout: timeout)
            }
        case .staticSecret(let config):
            return StoredSecretExchange(method: instance.method, secrets: try secretService(instance), path: try secretPath(config.secretPath, instance: instance), field: config.field, validity: nil)
        }
    }

    private static func login(_ auth: VaultAuth) -> VaultKVExchange.Login {
        switch auth {
        case let .kubernetes(role, mount, tokenFile): .kubernetes(role: role, mount: mount, jwt: CredentialFileSource.reading(tokenFile))
        case let .jwt(role, mount, tokenFile): .jwt(role: role, mount: mount, jwt: CredentialFileSource.reading(tokenFile))
        case let .appRole(roleID, secretIDFile, mount): .appRole(roleID: roleID, mount: mount, secretID: CredentialFileSource.reading(secretIDFile))
        }
    }

    /// A token our issuer mints for the identity and audience, or the token file's content.
    private func webIdentity(_ source: WebIdentitySource, instance: ProviderInstance) throws(ServiceError) -> WebIdentityTokenSource {
        switch source {
        case .tokenFile(let path):
            return CredentialFileSource.reading(path)
        case .identity(let name, let audience):
            guard let issuer else { throw .invalidInput("instance \(instance.name): identity sources need the server's issuer; use token_file") }
            return {
                try await issuer.issue(TokenRequest(subject: name, clientID: "quartermaster-broker:\(instance.name)", audience: audience)).token
            }
        }
    }

    private func storedSecret(_ path: String, field: String, instance: ProviderInstance) throws(ServiceError) -> ProviderSecretSource {
        let secrets = try secretService(instance), secretPath = try secretPath(path, instance: instance)
        return {
            guard let value = try await secrets.get(secretPath, version: nil).data[field], !value.isEmpty else {
                throw CredentialExchangeError.configuration("secret/\(path) has no field '\(field)'")
            }
            return value
        }
    }

    private func secretService(_ instance: ProviderInstance) throws(ServiceError) -> SecretService {
        guard let secrets else { throw .invalidInput("instance \(instance.name) reads our secret store, which is only available in the server") }
        return secrets
    }

    private func secretPath(_ path: String, instance: ProviderInstance) throws(ServiceError) -> SecretPath {
        do {
            return try SecretPath(raw: path)
        } catch {
            throw .invalidInput("instance \(instance.name): '\(path)' is not a secret path")
        }
    }
}
