import Foundation
import GRDB

/// `CredentialStore` on SQLite.
struct SQLiteCredentialStore: CredentialStore {
    let database: SQLiteDatabase

    private static let columns = "id, kind, identity, secret_hash, created_at, expires_at, revoked_at"

    func insert(_ credential: StoredCredential) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO credentials (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    credential.id, credential.kind, credential.identity, credential.secretHash,
                    credential.createdAt.storageMicroseconds, credential.expiresAt?.storageMicroseconds,
                    credential.revokedAt?.storageMicroseconds,
                ])
        }
    }

    func find(id: String) async throws -> StoredCredential? {
        try await database.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.columns) FROM credentials WHERE id = ?"), arguments: [id])
                .map(Self.credential)
        }
    }

    func count(kind: String) async throws -> Int {
        try await database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM credentials WHERE kind = ?", arguments: [kind]) ?? 0
        }
    }

    /// Sets `revoked_at` unless already set: the first revocation time is kept.
    func revoke(id: String, at time: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE credentials SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?",
                arguments: [time.storageMicroseconds, id])
            return db.changesCount > 0
        }
    }

    private static func credential(_ row: Row) -> StoredCredential {
        StoredCredential(
            id: row["id"], kind: row["kind"], identity: row["identity"], secretHash: row["secret_hash"],
            createdAt: Date(storageMicroseconds: row["created_at"]),
            expiresAt: (row["expires_at"] as Int64?).map(Date.init(storageMicroseconds:)),
            revokedAt: (row["revoked_at"] as Int64?).map(Date.init(storageMicroseconds:)))
    }
}
