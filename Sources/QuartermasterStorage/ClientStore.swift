import Foundation

/// A registered OAuth 2.0 client.
public struct StoredClient: Sendable, Equatable, Codable {
    /// `client_id`, unique.
    public var clientID: String
    /// The policy identity the client authenticates as.
    public var identity: String
    /// Hash of the client secret (computed by the caller) for `client_secret_basic` / `client_secret_post`.
    public var secretHash: String?
    /// JSON text of the client's registered public JWKs, for `private_key_jwt`.
    public var jwks: String?
    public var createdAt: Date
    public var revokedAt: Date?

    public init(clientID: String, identity: String, secretHash: String? = nil, jwks: String? = nil, createdAt: Date, revokedAt: Date? = nil) {
        self.clientID = clientID
        self.identity = identity
        self.secretHash = secretHash
        self.jwks = jwks
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// Registered OAuth clients.
public protocol ClientStore: Sendable {
    /// Inserts a client; throws `StorageError.conflict` when the client id exists.
    func insert(_ client: StoredClient) async throws
    /// The client with this id, or nil.
    func find(clientID: String) async throws -> StoredClient?
    /// Every client, revoked ones included, by `createdAt` ascending (ties by client id).
    func list() async throws -> [StoredClient]
    /// Marks a client revoked, keeping the first revocation time; returns false when it does
    /// not exist.
    func revoke(clientID: String, at time: Date) async throws -> Bool
}
