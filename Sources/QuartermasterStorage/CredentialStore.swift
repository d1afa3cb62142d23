import Foundation

/// A credential known only by its hash: admin tokens now, client secrets and API keys later.
public struct StoredCredential: Sendable, Equatable, Codable {
    /// Public identifier, embedded in the credential text, used to look it up.
    public var id: String
    /// "admin_token", ...
    public var kind: String
    /// The identity (policy name) the credential authenticates as.
    public var identity: String
    /// Hash of the secret part (never the secret), hex.
    public var secretHash: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?

    public init(id: String, kind: String, identity: String, secretHash: String, createdAt: Date, expiresAt: Date? = nil, revokedAt: Date? = nil) {
        self.id = id
        self.kind = kind
        self.identity = identity
        self.secretHash = secretHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

/// Hashed credentials.
public protocol CredentialStore: Sendable {
    /// Inserts a credential; throws `StorageError.conflict` when the id exists.
    func insert(_ credential: StoredCredential) async throws
    /// The credential with this id, or nil.
    func find(id: String) async throws -> StoredCredential?
    /// How many credentials of a kind exist (revoked ones included).
    func count(kind: String) async throws -> Int
    /// Marks a credential revoked; returns false when it does not exist.
    func revoke(id: String, at time: Date) async throws -> Bool
}
