import Foundation
import QuartermasterCore
import QuartermasterCrypto
import QuartermasterStorage

/// API keys for AI agents: shown once, stored only as an HMAC, bound to an identity (and
/// optionally a subset of its roles), with expiry, last use, revocation, and rotation with a
/// grace period during which the old and the new key both work.
public struct APIKeyService: Sendable {
    private let store: any APIKeyStore
    private let policies: PolicyService
    private let key: AuditKey

    public init(store: any APIKeyStore, policies: PolicyService, key: AuditKey) {
        self.store = store
        self.policies = policies
        self.key = key
    }

    /// A created key: the text (shown once) and what is stored.
    public struct Created: Sendable {
        public var text: String
        public var stored: StoredAPIKey
    }

    /// Creates a key for `identity`, limited to `roles` when not empty.
    public func create(identity: String, name: String, roles: [String], ttl: Duration?, now: Date = Date()) async throws -> Created {
        guard let entry = policies.current?.policy.identity(named: identity) else {
            throw ServiceError.invalidInput("identity \(identity) is not in the policy")
        }
        guard !name.isEmpty, name.utf8.count <= 128 else { throw ServiceError.invalidInput("name must be 1-128 characters") }
        let unknown = roles.filter { !entry.roles.contains($0) }
        guard unknown.isEmpty else {
            throw ServiceError.invalidInput("roles \(unknown.joined(separator: ", ")) are not roles of \(identity)")
        }
        let text = APIKeyText.generate()
        let stored = StoredAPIKey(
            id: text.id, identity: identity, name: name, roles: roles, secretHMAC: hmac(text.secret),
            createdAt: now, expiresAt: ttl.map { now.addingTimeInterval($0.seconds) }
        )
        try await store.insert(stored)
        return Created(text: text.text, stored: stored)
    }

    /// Replaces a key: the new one works at once, the old one until `grace` has passed.
    public func rotate(id: String, grace: Duration, now: Date = Date()) async throws -> Created {
        guard var old = try await store.find(id: id), old.revokedAt == nil else { throw ServiceError.notFound("API key \(id) does not exist or is revoked") }
        let ttl = old.expiresAt.map { Duration.seconds(max(1, $0.timeIntervalSince(old.createdAt))) }
        let created = try await create(identity: old.identity, name: old.name, roles: old.roles, ttl: ttl, now: now)
        old.replacedBy = created.stored.id
        old.graceUntil = now.addingTimeInterval(grace.seconds)
        try await store.update(old)
        return created
    }

    /// Revokes a key at once.
    public func revoke(id: String, now: Date = Date()) async throws -> StoredAPIKey {
        guard var key = try await store.find(id: id) else { throw ServiceError.notFound("API key \(id) does not exist") }
        if key.revokedAt == nil {
            key.revokedAt = now
            try await store.update(key)
        }
        return key
    }

    /// Keys, optionally of one identity.
    public func list(identity: String?) async throws -> [StoredAPIKey] {
        try await store.list(identity: identity)
    }

    /// The stored key for a presented text, or a reason it is refused.
    func verify(_ text: APIKeyText, now: Date) async throws -> StoredAPIKey {
        guard let stored = try await store.find(id: text.id), ConstantTime.equals(hmac(text.secret), stored.secretHMAC) else {
            throw ServiceError.unauthenticated("invalid API key")
        }
        if stored.revokedAt != nil { throw ServiceError.unauthenticated("API key revoked") }
        if let expiresAt = stored.expiresAt, expiresAt <= now { throw ServiceError.unauthenticated("API key expired") }
        if stored.replacedBy != nil, let graceUntil = stored.graceUntil, graceUntil <= now {
            throw ServiceError.unauthenticated("API key was rotated and its grace period is over")
        }
        if stored.lastUsedAt.map({ now.timeIntervalSince($0) >= 60 }) ?? true {
            try await store.touch(id: stored.id, at: now)
        }
        return stored
    }

    private func hmac(_ secret: String) -> String {
        key.mac("api-key:" + secret)
    }
}
