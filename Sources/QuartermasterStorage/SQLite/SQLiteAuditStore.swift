import Foundation
import GRDB

/// `AuditStore` on SQLite. The write transaction holds SQLite's single write lock from
/// reading the head to moving it, so appends are serialized; `appendBlocking` runs the same
/// transaction on the calling thread.
struct SQLiteAuditStore: BlockingAuditStore {
    let database: SQLiteDatabase
    /// Texts stored in a row once, shared by every copy of this store.
    let sightings = AuditTextSightings()

    /// The `audit_records` columns, in the order inserts bind them: a record's fields, then
    /// the `audit_texts` ids that stand for its reason and details when the row leaves them
    /// out (`AuditRecordInsert`).
    static let insertColumns = """
        sequence, "time", request_id, subject, action, resource, decision, reason, source, \
        details, previous_hash, hash, reason_text, details_text
        """

    /// The start of every read: a record's fields from its row (`record`), its reason and
    /// details from `audit_texts` (`reason`, `details`) when the row refers to them there.
    private static let selection = """
        SELECT record.sequence, record."time", record.request_id, record.subject, record.action, \
        record.resource, record.decision, COALESCE(reason.text, record.reason) AS reason, record.source, \
        COALESCE(details.text, record.details) AS details, record.previous_hash, record.hash \
        FROM audit_records record \
        LEFT JOIN audit_texts reason ON reason.id = record.reason_text \
        LEFT JOIN audit_texts details ON details.id = record.details_text
        """

    func append(count: Int, _ seal: @Sendable (AuditChainHead, Int) throws -> AuditRecord) async throws -> [AuditRecord] {
        try await database.write { [sightings] db in try Self.append(count: count, seal, sightings: sightings, in: db) }
    }

    func appendBlocking(count: Int, _ seal: (AuditChainHead, Int) throws -> AuditRecord) throws -> [AuditRecord] {
        try database.writeBlocking { db in try Self.append(count: count, seal, sightings: sightings, in: db) }
    }

    /// Inserts records already sealed (the audit journal's) in one transaction, leaving out
    /// those the table already holds; each one inserted must extend the chain before it.
    /// Calls `betweenChunks` after every `chunkSize` records inserted. Returns the head
    /// afterwards. Streams the records straight to the statement: this runs for every record
    /// the server writes on SQLite.
    func insertBlocking(_ records: [AuditRecord], chunkSize: Int = 1024, betweenChunks: () -> Void = {}) throws -> AuditChainHead {
        try database.writeBlocking { db in
            var head = try Self.head(db)
            let missing = records.drop { $0.sequence <= head.sequence }
            guard !missing.isEmpty else { return head }
            var insert = try AuditRecordInsert(db, sightings: sightings)
            for (offset, record) in missing.enumerated() {
                try record.checkExtends(head)
                try insert.execute(record)
                head = AuditChainHead(sequence: record.sequence, hash: record.hash)
                if (offset + 1) % max(1, chunkSize) == 0, offset + 1 < missing.count { betweenChunks() }
            }
            try Self.moveHead(to: head, in: db)
            return head
        }
    }

    private static func append(count: Int, _ seal: (AuditChainHead, Int) throws -> AuditRecord, sightings: AuditTextSightings, in db: Database) throws -> [AuditRecord] {
        var head = try head(db)
        var records: [AuditRecord] = []
        records.reserveCapacity(count)
        var insert = try AuditRecordInsert(db, sightings: sightings)
        for index in 0..<count {
            let record = try seal(head, index).linked(to: head)
            try insert.execute(record)
            head = AuditChainHead(sequence: record.sequence, hash: record.hash)
            records.append(record)
        }
        try moveHead(to: head, in: db)
        return records
    }

    private static func moveHead(to head: AuditChainHead, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE audit_head SET sequence = ?, hash = ? WHERE id = 1")
            .execute(arguments: [head.sequence, head.hash])
    }

    func records(_ query: AuditQuery) async throws -> [AuditRecord] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let subject = query.subject {
            conditions.append("record.subject = ?")
            arguments += [subject]
        }
        if let since = query.since {
            conditions.append("record.\"time\" >= ?")
            arguments += [since.storageMicroseconds]
        }
        if let afterSequence = query.afterSequence {
            conditions.append("record.sequence > ?")
            arguments += [afterSequence]
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [max(0, query.limit)]
        let sql = "\(Self.selection) \(filter) ORDER BY record.sequence LIMIT ?"
        return try await database.read { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.record)
        }
    }

    func head() async throws -> AuditChainHead {
        try await database.read { db in try Self.head(db) }
    }

    private static func head(_ db: Database) throws -> AuditChainHead {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT sequence, hash FROM audit_head WHERE id = 1")) else {
            throw StorageError.unavailable("the audit_head row is missing")
        }
        return AuditChainHead(sequence: row["sequence"], hash: row["hash"])
    }

    private static func record(_ row: Row) throws -> AuditRecord {
        AuditRecord(
            sequence: row["sequence"], time: Date(storageMicroseconds: row["time"]),
            requestID: row["request_id"], subject: row["subject"], action: row["action"],
            resource: row["resource"], decision: row["decision"], reason: row["reason"],
            source: row["source"], details: try AuditRecord.details(fromJSON: row["details"]),
            previousHash: row["previous_hash"], hash: row["hash"])
    }
}
