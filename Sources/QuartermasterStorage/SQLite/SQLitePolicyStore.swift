import Foundation
import GRDB

/// `PolicyStore` on SQLite. Appends number versions inside the write transaction, which
/// SQLite serializes, so concurrent appends never share a number.
struct SQLitePolicyStore: PolicyStore {
    let database: SQLiteDatabase

    private static let columns = "version, document, source_name, digest, created_at, created_by, comment"

    func latest() async throws -> StoredPolicy? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM policies ORDER BY version DESC LIMIT 1")
                .map(Self.policy)
        }
    }

    func append(document: String, sourceName: String, digest: String, createdBy: String, comment: String) async throws -> StoredPolicy {
        let createdAt = Date().atStoragePrecision
        return try await database.write { db in
            let version = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(version), 0) + 1 FROM policies") ?? 1
            let policy = StoredPolicy(
                version: version, document: document, sourceName: sourceName, digest: digest,
                createdAt: createdAt, createdBy: createdBy, comment: comment)
            try db.execute(
                sql: "INSERT INTO policies (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    policy.version, policy.document, policy.sourceName, policy.digest,
                    policy.createdAt.storageMicroseconds, policy.createdBy, policy.comment,
                ])
            return policy
        }
    }

    func version(_ version: Int) async throws -> StoredPolicy? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM policies WHERE version = ?", arguments: [version])
                .map(Self.policy)
        }
    }

    func history(limit: Int) async throws -> [StoredPolicy] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.columns) FROM policies ORDER BY version DESC LIMIT ?",
                arguments: [max(0, limit)]
            ).map(Self.policy)
        }
    }

    private static func policy(_ row: Row) -> StoredPolicy {
        StoredPolicy(
            version: row["version"], document: row["document"], sourceName: row["source_name"],
            digest: row["digest"], createdAt: Date(storageMicroseconds: row["created_at"]),
            createdBy: row["created_by"], comment: row["comment"])
    }
}
