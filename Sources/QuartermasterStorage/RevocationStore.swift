import Foundation

/// A revoked token, kept until the token would have expired anyway.
public struct StoredRevocation: Sendable, Equatable, Codable {
    /// The token's `jti`, unique.
    public var jti: String
    public var revokedAt: Date
    /// When the token expires anyway; the entry may be purged after this.
    public var expiresAt: Date
    public var reason: String

    public init(jti: String, revokedAt: Date, expiresAt: Date, reason: String) {
        self.jti = jti
        self.revokedAt = revokedAt
        self.expiresAt = expiresAt
        self.reason = reason
    }
}

/// Revoked token ids (RFC 7009), consulted on verification and introspection.
public protocol RevocationStore: Sendable {
    /// Records a revocation. Idempotent: when the jti is already revoked, the first
    /// revocation is kept unchanged and no error is thrown.
    func revoke(_ revocation: StoredRevocation) async throws
    /// Whether the jti is recorded as revoked (until it is purged).
    func isRevoked(jti: String) async throws -> Bool
    /// Revocations with `revokedAt >= since` (all when nil), by `revokedAt` ascending (ties by
    /// jti), at most `limit`.
    func list(since: Date?, limit: Int) async throws -> [StoredRevocation]
    /// Deletes at most `limit` revocations whose token expired before `now`
    /// (`expiresAt < now`), oldest first, and returns how many it deleted. Pass a `now` less
    /// the verifiers' clock leeway to keep entries while a leeway could still accept the token.
    func purge(expiredBefore now: Date, limit: Int) async throws -> Int
}
