import Foundation

/// One audit record as stored: the event plus its place in the hash chain.
public struct AuditRecord: Sendable, Equatable, Codable {
    /// 1, 2, 3... with no gaps.
    public var sequence: Int64
    public var time: Date
    public var requestID: String
    public var subject: String
    public var action: String
    public var resource: String
    /// "allow", "deny", or an outcome such as "ok" / "error" for admin actions.
    public var decision: String
    public var reason: String
    public var source: String
    /// Extra fields; sensitive values are already HMACs when they reach storage.
    public var details: [String: String]
    /// `hash` of the record before this one (the genesis hash for the first).
    public var previousHash: String
    /// Hash over `previousHash` and every field above, hex.
    public var hash: String

    public init(sequence: Int64, time: Date, requestID: String, subject: String, action: String, resource: String, decision: String, reason: String, source: String, details: [String: String], previousHash: String, hash: String) {
        self.sequence = sequence
        self.time = time
        self.requestID = requestID
        self.subject = subject
        self.action = action
        self.resource = resource
        self.decision = decision
        self.reason = reason
        self.source = source
        self.details = details
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// The end of the chain a new record links to.
public struct AuditChainHead: Sendable, Equatable {
    public var sequence: Int64
    public var hash: String
    /// The head of an empty log.
    public static let genesis = AuditChainHead(sequence: 0, hash: String(repeating: "0", count: 64))

    public init(sequence: Int64, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }
}

/// Filters for reading the audit log.
public struct AuditQuery: Sendable, Equatable {
    public var subject: String?
    public var since: Date?
    public var afterSequence: Int64?
    public var limit: Int

    public init(subject: String? = nil, since: Date? = nil, afterSequence: Int64? = nil, limit: Int = 100) {
        self.subject = subject
        self.since = since
        self.afterSequence = afterSequence
        self.limit = limit
    }
}

/// The append-only audit log.
public protocol AuditStore: Sendable {
    /// Appends `count` records atomically at the end of the chain, in one transaction (one
    /// commit, one sync to disk: the audit log's group commit).
    ///
    /// The store locks the chain head (across replicas on PostgreSQL) and, for each index,
    /// passes the current head to `seal`, which returns the complete record (sequence =
    /// head.sequence + 1, previousHash = head.hash, hash computed); the store inserts it and
    /// moves the head. If `seal` throws, nothing of the batch is written.
    func append(count: Int, _ seal: @Sendable (AuditChainHead, Int) throws -> AuditRecord) async throws -> [AuditRecord]
    /// Records matching the query, in ascending sequence order, at most `query.limit`.
    func records(_ query: AuditQuery) async throws -> [AuditRecord]
    /// The current head of the chain as recorded by the store.
    func head() async throws -> AuditChainHead
}

/// An audit store whose append can run on the calling thread, blocking it until the batch
/// is durable (SQLite). The audit log then commits from a thread of its own, so the loop of
/// batches never waits behind request work on an event loop.
public protocol BlockingAuditStore: AuditStore {
    /// `append(count:_:)`, run on the calling thread.
    func appendBlocking(count: Int, _ seal: (AuditChainHead, Int) throws -> AuditRecord) throws -> [AuditRecord]
}

/// An audit store whose append never waits for the disk: it takes a lock and writes to the
/// page cache (SQLite's audit journal). The audit log appends to it on the requesting task,
/// without group commit: a hand-off to another thread would cost more than the append.
public protocol ImmediateAuditStore: AuditStore {
    /// Places `record`, whose fields are set, after the chain's head on the calling thread and
    /// returns it as written: the next sequence, linked to the head, carrying `hash(head)`.
    /// Everything else about the record is done before the store's lock is taken; `hash`
    /// runs under it. Returns once the record is written.
    func appendImmediately(_ record: AuditRecord, hash: (AuditChainHead) -> String) throws -> AuditRecord
}

extension AuditRecord {
    /// This record as the one after `head`: the next sequence, linked to the head's hash,
    /// carrying `hash`.
    public func placed(after head: AuditChainHead, hash: String) -> AuditRecord {
        var placed = self
        placed.sequence = head.sequence + 1
        placed.previousHash = head.hash
        placed.hash = hash
        return placed
    }
}

extension AuditStore {
    /// Appends one record atomically at the end of the chain (a batch of one).
    public func append(_ seal: @Sendable (AuditChainHead) throws -> AuditRecord) async throws -> AuditRecord {
        let records = try await append(count: 1) { head, _ in try seal(head) }
        guard let record = records.first else { throw StorageError.unavailable("the append wrote nothing") }
        return record
    }
}
