import Foundation

/// An API key known only by the HMAC of its secret part.
public struct StoredAPIKey: Sendable, Equatable, Codable {
    /// The public part of the key, unique.
    public var id: String
    /// The identity (policy name) the key authenticates as.
    public var identity: String
    /// A label chosen by its owner.
    public var name: String
    /// A subset of the identity's roles; empty means all of them. Stored as JSON text.
    public var roles: [String]
    /// HMAC of the secret part (computed by the caller, never the secret).
    public var secretHMAC: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?
    public var lastUsedAt: Date?
    /// The id of the key that replaced this one on rotation.
    public var replacedBy: String?
    /// After rotation, this key keeps working until then.
    public var graceUntil: Date?

    public init(id: String, identity: String, name: String, roles: [String] = [], secretHMAC: String, createdAt: Date, expiresAt: Date? = nil, revokedAt: Date? = nil, lastUsedAt: Date? = nil, replacedBy: String? = nil, graceUntil: Date? = nil) {
        self.id = id
        self.identity = identity
        self.name = name
        self.roles = roles
        self.secretHMAC = secretHMAC
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.lastUsedAt = lastUsedAt
        self.replacedBy = replacedBy
        self.graceUntil = graceUntil
    }
}

/// API keys.
public protocol APIKeyStore: Sendable {
    /// Inserts a key; throws `StorageError.conflict` when the id exists.
    func insert(_ key: StoredAPIKey) async throws
    /// The key with this id, or nil.
    func find(id: String) async throws -> StoredAPIKey?
    /// Keys of `identity` (every key when nil), by `createdAt` ascending (ties by id).
    func list(identity: String?) async throws -> [StoredAPIKey]
    /// Replaces the whole row with the same id; throws `StorageError.conflict("no API key ID")`
    /// when there is none.
    func update(_ key: StoredAPIKey) async throws
    /// Records a use at `time`: sets `lastUsedAt` unless it is already later (so touches
    /// racing across replicas never move it back). One cheap UPDATE; a missing id is ignored.
    func touch(id: String, at time: Date) async throws
}
