import Foundation

/// A lease on something handed out: a leased secret read, a provider credential, a delegated
/// token. Expired leases are removed by a sweeper; revoked ones are removed at once.
public struct StoredLease: Sendable, Equatable, Codable {
    /// Unique; `<kind>/<resource>/<random>`, such as `secret/gateway/token/4f1c...`, so a
    /// prefix names every lease on a resource (`revoke(prefix:)`).
    public var id: String
    /// The identity the lease was granted to.
    public var subject: String
    /// "secret", "provider" or "token".
    public var kind: String
    /// What the lease covers, such as `secret/gateway/token` or `token/<jti>`.
    public var resource: String
    public var issuedAt: Date
    /// The lease ends here unless renewed.
    public var expiresAt: Date
    /// No renewal extends the lease past this instant.
    public var maxExpiresAt: Date
    public var renewable: Bool
    /// The lease this one was obtained under (the caller's token lease); revoking the parent
    /// revokes this lease too.
    public var parentID: String?
    /// The TTL the lease was granted with, in seconds (microsecond precision): what a renewal
    /// without an increment adds.
    public var ttl: TimeInterval

    /// `ttl` defaults to the first lifetime, `expiresAt - issuedAt`.
    public init(id: String, subject: String, kind: String, resource: String, issuedAt: Date, expiresAt: Date, maxExpiresAt: Date, renewable: Bool, parentID: String? = nil, ttl: TimeInterval? = nil) {
        self.id = id
        self.subject = subject
        self.kind = kind
        self.resource = resource
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.maxExpiresAt = maxExpiresAt
        self.renewable = renewable
        self.parentID = parentID
        self.ttl = ((ttl ?? expiresAt.timeIntervalSince(issuedAt)) * 1_000_000).rounded() / 1_000_000
    }
}

/// Leases. Instants are kept at microsecond precision. A lease is live while `expiresAt > now`.
public protocol LeaseStore: Sendable {
    /// Inserts, in one transaction, each lease whose id does not exist yet; returns per lease
    /// whether it was inserted (false: the id exists, the stored lease is unchanged).
    func insert(_ leases: [StoredLease]) async throws -> [Bool]
    /// The lease with this id, live or expired-but-not-yet-swept, or nil.
    func lease(id: String) async throws -> StoredLease?
    /// Moves a live (`expiresAt > now`), renewable lease's `expiresAt` to
    /// `min(expiresAt, maxExpiresAt)` and returns it as stored; nil when the lease does not
    /// exist, has expired or is not renewable (nothing changes then).
    func renew(id: String, expiresAt: Date, now: Date) async throws -> StoredLease?
    /// Deletes the lease and, transitively, every lease whose parent is deleted; returns the
    /// deleted leases (empty when the id does not exist). Atomic.
    func revoke(id: String) async throws -> [StoredLease]
    /// Deletes every lease whose id starts with `prefix` (matched literally: `%` and `_` are
    /// ordinary characters) and their descendants; returns them. An empty prefix is refused
    /// with `StorageError.conflict`. Atomic.
    func revoke(prefix: String) async throws -> [StoredLease]
    /// Live leases (`expiresAt > now`), optionally only of `subject` and/or whose id starts
    /// with `prefix`, by id ascending, at most `limit`.
    func list(subject: String?, prefix: String?, now: Date, limit: Int) async throws -> [StoredLease]
    /// Deletes at most `limit` leases with `expiresAt <= now`, earliest expiry first, and
    /// returns them (bounded batches: the sweeper calls it repeatedly).
    func sweep(expiredAt now: Date, limit: Int) async throws -> [StoredLease]
    /// How many leases are live at `now`.
    func countLive(now: Date) async throws -> Int
}

/// A lease store whose insert can run on the calling thread, blocking it until the batch is
/// durable (SQLite). New leases are then committed from a thread of their own, as the
/// audit log's records are.
public protocol BlockingLeaseStore: LeaseStore {
    /// `insert(_:)`, run on the calling thread.
    func insertBlocking(_ leases: [StoredLease]) throws -> [Bool]
}

extension LeaseStore {
    /// Inserts a lease; throws `StorageError.conflict` when the id exists.
    public func insert(_ lease: StoredLease) async throws {
        guard try await insert([lease]) == [true] else { throw StorageError.conflict("lease \(lease.id) exists") }
    }
}
