import Foundation
import QuartermasterCore
import QuartermasterCrypto
import QuartermasterStorage

/// Leases on what the server hands out: leased secret reads, provider credentials, delegated
/// tokens. A lease obtained with an access token hangs under that token's lease, so revoking
/// the token (or its lease) revokes everything obtained with it; revoking a token lease also
/// revokes the token itself.
///
/// New leases are written with group commit: the leases of concurrent requests share one
/// transaction, and each request returns once its own lease is stored. A store that can insert
/// on the calling thread (SQLite) is written from a dispatch queue of the service's own.
public struct LeaseService: Sendable {
    private let store: any LeaseStore
    private let revocations: any RevocationStore
    /// Stores new leases; answers per lease whether it was inserted (false: its id exists).
    private let writer: GroupCommit<StoredLease, Bool>

    /// A lease that cannot be stored within `writeTimeout` fails the request.
    public init(store: any LeaseStore, revocations: any RevocationStore, writeTimeout: Duration = .seconds(2)) {
        self.store = store
        self.revocations = revocations
        if let store = store as? any BlockingLeaseStore {
            self.writer = GroupCommit(timeout: writeTimeout, label: "quartermaster.leases") { leases in
                try store.insertBlocking(leases)
            }
        } else {
            self.writer = GroupCommit(timeout: writeTimeout) { leases in
                try await store.insert(leases)
            }
        }
    }

    /// The lease id of an access token.
    public static func tokenLeaseID(jti: String) -> String { "token/\(jti)" }

    /// Grants a lease on `resource` (such as `secret/db/orders`) to `principal` on `terms`. When
    /// the principal authenticated with an access token, the lease's parent is that token's
    /// lease (created on first use, ending when the token expires).
    public func grant(kind: String, resource: String, terms: LeaseTerms, to principal: Principal, now: Date = Date()) async throws -> StoredLease {
        let parent = try await tokenLease(of: principal, now: now)
        var expiresAt = now.addingTimeInterval(terms.ttl.seconds)
        var maxExpiresAt = now.addingTimeInterval(terms.maxTTL.seconds)
        if let parent {
            expiresAt = min(expiresAt, parent.expiresAt)
            maxExpiresAt = min(maxExpiresAt, parent.maxExpiresAt)
        }
        let lease = StoredLease(
            id: "\(resource)/\(RandomBytes.data(count: 12).hexString)",
            subject: principal.identity, kind: kind, resource: resource,
            issuedAt: now, expiresAt: expiresAt, maxExpiresAt: maxExpiresAt,
            renewable: terms.renewable, parentID: parent?.id, ttl: terms.ttl.seconds
        )
        try await stored(lease)
        return lease
    }

    /// Records a lease for a token the issuer just minted (a delegated or job token), under the
    /// lease of the token it was obtained with, if any.
    public func grantToken(jti: String, subject: String, expiresAt: Date, parentJTI: String?, now: Date = Date()) async throws -> StoredLease {
        var parentID: String?
        if let parentJTI, try await store.lease(id: Self.tokenLeaseID(jti: parentJTI)) != nil {
            parentID = Self.tokenLeaseID(jti: parentJTI)
        }
        let lease = StoredLease(id: Self.tokenLeaseID(jti: jti), subject: subject, kind: "token", resource: "token/\(jti)", issuedAt: now, expiresAt: expiresAt, maxExpiresAt: expiresAt, renewable: false, parentID: parentID)
        try await stored(lease)
        return lease
    }

    /// Writes a new lease through the group commit; throws `StorageError.conflict` when its
    /// id exists (only this lease: the others of its batch are stored).
    private func stored(_ lease: StoredLease) async throws {
        let inserted: Bool
        do {
            inserted = try await writer.submit(lease)
        } catch is TimeoutError {
            throw ServiceError.unavailable("the lease could not be stored in time")
        }
        guard inserted else { throw StorageError.conflict("lease \(lease.id) exists") }
    }

    /// The lease with this id, when live.
    public func lease(id: String, now: Date = Date()) async throws -> StoredLease {
        guard let lease = try await store.lease(id: id), lease.expiresAt > now else { throw ServiceError.notFound("lease \(id) does not exist or has ended") }
        return lease
    }

    /// Extends a live, renewable lease by `increment` (default: its original TTL), never past
    /// its maximum.
    public func renew(id: String, increment: Duration?, now: Date = Date()) async throws -> StoredLease {
        let current = try await lease(id: id, now: now)
        guard current.renewable else { throw ServiceError.invalidInput("lease \(id) is not renewable") }
        let step = increment.map(\.seconds) ?? current.ttl
        guard step > 0 else { throw ServiceError.invalidInput("increment must be positive") }
        guard let renewed = try await store.renew(id: id, expiresAt: now.addingTimeInterval(step), now: now) else {
            throw ServiceError.notFound("lease \(id) does not exist or has ended")
        }
        return renewed
    }

    /// Revokes a lease and everything under it; token leases also revoke their tokens.
    public func revoke(id: String, reason: String, now: Date = Date()) async throws -> [StoredLease] {
        try await revokingTokens(try await store.revoke(id: id), reason: reason, now: now)
    }

    /// Revokes every lease whose id starts with `prefix`, and everything under them.
    public func revoke(prefix: String, reason: String, now: Date = Date()) async throws -> [StoredLease] {
        guard !prefix.isEmpty else { throw ServiceError.invalidInput("prefix must not be empty") }
        return try await revokingTokens(try await store.revoke(prefix: prefix), reason: reason, now: now)
    }

    /// Live leases, optionally of one subject and/or under a prefix.
    public func list(subject: String?, prefix: String?, limit: Int = 1000, now: Date = Date()) async throws -> [StoredLease] {
        try await store.list(subject: subject, prefix: prefix, now: now, limit: limit)
    }

    private func tokenLease(of principal: Principal, now: Date) async throws -> StoredLease? {
        guard principal.method == "access_token" else { return nil }
        let id = Self.tokenLeaseID(jti: principal.credentialID)
        if let existing = try await store.lease(id: id) { return existing }
        guard let expiry = principal.expiresAt else { return nil }
        do {
            return try await grantToken(jti: principal.credentialID, subject: principal.identity, expiresAt: expiry, parentJTI: nil, now: now)
        } catch StorageError.conflict {
            return try await store.lease(id: id)
        }
    }

    private func revokingTokens(_ leases: [StoredLease], reason: String, now: Date) async throws -> [StoredLease] {
        for lease in leases where lease.kind == "token" {
            let jti = String(lease.id.dropFirst("token/".count))
            try await revocations.revoke(StoredRevocation(jti: jti, revokedAt: now, expiresAt: lease.maxExpiresAt, reason: reason))
        }
        return leases
    }
}
