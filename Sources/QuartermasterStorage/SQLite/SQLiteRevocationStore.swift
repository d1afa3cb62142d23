import Foundation
import GRDB

/// `RevocationStore` on SQLite.
struct SQLiteRevocationStore: RevocationStore {
    let database: SQLiteDatabase

    private static let columns = "jti, revoked_at, expires_at, reason"

    /// Inserts unless the jti exists: the first revocation is kept.
    func revoke(_ revocation: StoredRevocation) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO revocations (\(Self.columns)) VALUES (?, ?, ?, ?) ON CONFLICT (jti) DO NOTHING",
                arguments: [
                    revocation.jti, revocation.revokedAt.storageMicroseconds, revocation.expiresAt.storageMicroseconds,
                    revocation.reason,
                ])
        }
    }

    func isRevoked(jti: String) async throws -> Bool {
        try await database.read { db in
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM revocations WHERE jti = ?)"), arguments: [jti])
                ?? false
        }
    }

    func list(since: Date?, limit: Int) async throws -> [StoredRevocation] {
        var arguments: StatementArguments = []
        var filter = ""
        if let since {
            filter = "WHERE revoked_at >= ?"
            arguments += [since.storageMicroseconds]
        }
        arguments += [max(0, limit)]
        let sql = "SELECT \(Self.columns) FROM revocations \(filter) ORDER BY revoked_at, jti LIMIT ?"
        return try await database.read { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.revocation)
        }
    }

    func purge(expiredBefore now: Date, limit: Int) async throws -> Int {
        try await database.write { db in
            try db.execute(
                sql: """
                    DELETE FROM revocations WHERE jti IN \
                    (SELECT jti FROM revocations WHERE expires_at < ? ORDER BY expires_at LIMIT ?)
                    """,
                arguments: [now.storageMicroseconds, max(0, limit)])
            return db.changesCount
        }
    }

    private static func revocation(_ row: Row) -> StoredRevocation {
        StoredRevocation(
            jti: row["jti"], revokedAt: Date(storageMicroseconds: row["revoked_at"]),
            expiresAt: Date(storageMicroseconds: row["expires_at"]), reason: row["reason"])
    }
}
