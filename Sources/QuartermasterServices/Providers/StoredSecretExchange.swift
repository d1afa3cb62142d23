import Foundation

/// A provider key kept in our own secret store: `static` instances (read again every few
/// minutes, no expiry) and `vault_dynamic` instances with `store: quartermaster` (treated as
/// expiring after their refresh interval, like a Vault read).
public struct StoredSecretExchange: CredentialExchange {
    public let method: String
    private let secrets: SecretService
    private let path: SecretPath
    private let field: String
    private let validity: Duration?

    /// `validity`: how long a read counts as fresh; nil for a key that does not expire.
    public init(method: String, secrets: SecretService, path: SecretPath, field: String, validity: Duration?) {
        self.method = method
        self.secrets = secrets
        self.path = path
        self.field = field
        self.validity = validity
    }

    public func fetch(now: Date) async throws(CredentialExchangeError) -> ProviderCredential {
        let value: SecretService.Value
        do {
            value = try await secrets.get(path, version: nil)
        } catch {
            throw .tokenSource("secret/\(path) cannot be read: \(error)")
        }
        guard let key = value.data[field], !key.isEmpty else {
            throw .configuration("secret/\(path) has no field '\(field)'")
        }
        return ProviderCredential(kind: .apiKey(value: key), expiresAt: validity.map { now.addingTimeInterval($0.seconds) }, obtainedAt: now)
    }
}
