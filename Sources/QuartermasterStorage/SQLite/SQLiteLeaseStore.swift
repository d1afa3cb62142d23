import Foundation
import GRDB

/// `LeaseStore` on SQLite. Every change is one statement in a write transaction, so a revoke
/// finds and deletes a lease's descendants while no other writer can add one.
struct SQLiteLeaseStore: BlockingLeaseStore {
    let database: SQLiteDatabase

    private static let columns = """
        id, subject, kind, resource, issued_at, expires_at, max_expires_at, renewable, parent_id, ttl
        """

    func insert(_ leases: [StoredLease]) async throws -> [Bool] {
        try await database.write { db in try Self.insert(leases, in: db) }
    }

    func insertBlocking(_ leases: [StoredLease]) throws -> [Bool] {
        try database.writeBlocking { db in try Self.insert(leases, in: db) }
    }

    private static func insert(_ leases: [StoredLease], in db: Database) throws -> [Bool] {
        let insert = try db.cachedStatement(sql: "INSERT INTO leases (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING")
        return try leases.map { lease in
            try insert.execute(arguments: [
                lease.id, lease.subject, lease.kind, lease.resource, lease.issuedAt.storageMicroseconds,
                lease.expiresAt.storageMicroseconds, lease.maxExpiresAt.storageMicroseconds, lease.renewable,
                lease.parentID, Int64((lease.ttl * 1_000_000).rounded()),
            ])
            return db.changesCount == 1
        }
    }

    func lease(id: String) async throws -> StoredLease? {
        try await database.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.columns) FROM leases WHERE id = ?"), arguments: [id])
                .map(Self.lease)
        }
    }

    func renew(id: String, expiresAt: Date, now: Date) async throws -> StoredLease? {
        try await database.write { db in
            try Row.fetchOne(
                db,
                sql: """
                    UPDATE leases SET expires_at = MIN(?, max_expires_at) \
                    WHERE id = ? AND renewable AND expires_at > ? RETURNING \(Self.columns)
                    """,
                arguments: [expiresAt.storageMicroseconds, id, now.storageMicroseconds]
            ).map(Self.lease)
        }
    }

    func revoke(id: String) async throws -> [StoredLease] {
        try await revokeWithDescendants(roots: "id = ?", arguments: [id])
    }

    func revoke(prefix: String) async throws -> [StoredLease] {
        let range = try LeaseIDRange.revoking(prefix: prefix)
        let (condition, arguments) = Self.condition(range)
        return try await revokeWithDescendants(roots: condition, arguments: arguments)
    }

    func list(subject: String?, prefix: String?, now: Date, limit: Int) async throws -> [StoredLease] {
        var conditions = ["expires_at > ?"]
        var arguments: StatementArguments = [now.storageMicroseconds]
        if let subject {
            conditions.append("subject = ?")
            arguments += [subject]
        }
        if let prefix {
            let (condition, rangeArguments) = Self.condition(LeaseIDRange(prefix: prefix))
            conditions.append(condition)
            arguments += rangeArguments
        }
        arguments += [max(0, limit)]
        let sql = """
            SELECT \(Self.columns) FROM leases WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT ?
            """
        return try await database.read { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.lease)
        }
    }

    func sweep(expiredAt now: Date, limit: Int) async throws -> [StoredLease] {
        try await database.write { db in
            try Row.fetchAll(
                db,
                sql: """
                    DELETE FROM leases WHERE id IN \
                    (SELECT id FROM leases WHERE expires_at <= ? ORDER BY expires_at LIMIT ?) \
                    RETURNING \(Self.columns)
                    """,
                arguments: [now.storageMicroseconds, max(0, limit)]
            ).map(Self.lease)
        }.sortedByExpiry()
    }

    func countLive(now: Date) async throws -> Int {
        try await database.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM leases WHERE expires_at > ?", arguments: [now.storageMicroseconds]) ?? 0
        }
    }

    /// Deletes the leases matching `roots` and, transitively, their children; returns them by id.
    private func revokeWithDescendants(roots: String, arguments: StatementArguments) async throws -> [StoredLease] {
        let sql = """
            WITH RECURSIVE revoked (id) AS (\
            SELECT id FROM leases WHERE \(roots) \
            UNION SELECT leases.id FROM leases JOIN revoked ON leases.parent_id = revoked.id) \
            DELETE FROM leases WHERE id IN (SELECT id FROM revoked) RETURNING \(Self.columns)
            """
        return try await database.write { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.lease)
        }.sortedByID()
    }

    /// The condition selecting the ids in `range`, and its arguments.
    private static func condition(_ range: LeaseIDRange) -> (String, StatementArguments) {
        if let upperBound = range.upperBound {
            ("id >= ? AND id < ?", [range.lowerBound, upperBound])
        } else {
            ("id >= ?", [range.lowerBound])
        }
    }

    private static func lease(_ row: Row) -> StoredLease {
        StoredLease(
            id: row["id"], subject: row["subject"], kind: row["kind"], resource: row["resource"],
            issuedAt: Date(storageMicroseconds: row["issued_at"]),
            expiresAt: Date(storageMicroseconds: row["expires_at"]),
            maxExpiresAt: Date(storageMicroseconds: row["max_expires_at"]), renewable: row["renewable"],
            parentID: row["parent_id"], ttl: LeaseTTL.seconds(storedMicroseconds: row["ttl"]))
    }
}
