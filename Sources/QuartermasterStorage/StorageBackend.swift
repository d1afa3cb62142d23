import Foundation

/// A storage backend: one store per aggregate, plus health and lifecycle.
///
/// Implementations: `SQLiteBackend` (GRDB, WAL, the embedded default) and
/// `PostgresBackend` (PostgresNIO). Both apply their versioned migrations in `open`.
public protocol StorageBackend: Sendable {
    /// Versioned policy documents.
    var policies: any PolicyStore { get }
    /// The hash-chained audit log.
    var audit: any AuditStore { get }
    /// Hashed credentials such as admin tokens.
    var credentials: any CredentialStore { get }
    /// The issuer's signing key ring (private keys sealed by the caller).
    var signingKeys: any SigningKeyStore { get }
    /// Registered OAuth clients.
    var clients: any ClientStore { get }
    /// Single-use identifiers (client assertion `jti`s), to refuse replays.
    var replay: any ReplayStore { get }
    /// Service instances registered against desired state.
    var registrations: any RegistrationStore { get }
    /// Revoked token ids.
    var revocations: any RevocationStore { get }
    /// API keys.
    var apiKeys: any APIKeyStore { get }
    /// Versioned secrets (values sealed by the caller).
    var secrets: any SecretStore { get }
    /// Leases on secrets, provider credentials and tokens, with their parent chains.
    var leases: any LeaseStore { get }
    /// Named transit (encryption-as-a-service) keys and their versions (sealed by the caller).
    var transitKeys: any TransitKeyStore { get }
    /// The root keyring, and what each root key seals across the other stores (for rewrap).
    var rootKeys: any RootKeyStore { get }
    /// Throws when storage cannot be reached (used by `/readyz`).
    func ping() async throws
    /// Releases connections. The backend is unusable afterwards.
    func close() async throws
}

/// Errors every backend reports the same way.
public enum StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The storage URL is not `sqlite:PATH`, a plain path, or `postgres://...`.
    case invalidURL(String)
    /// A unique key already exists (for example a credential id).
    case conflict(String)
    /// The backend could not be reached or failed; the detail never contains secret values.
    case unavailable(String)

    public var description: String {
        switch self {
        case .invalidURL(let detail): "invalid storage URL: \(detail)"
        case .conflict(let detail): "conflict: \(detail)"
        case .unavailable(let detail): "storage unavailable: \(detail)"
        }
    }
}
