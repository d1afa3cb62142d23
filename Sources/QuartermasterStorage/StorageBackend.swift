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
    /// Hashed credentials (admin tokens now; client secrets and API keys later).
    var credentials: any CredentialStore { get }
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
