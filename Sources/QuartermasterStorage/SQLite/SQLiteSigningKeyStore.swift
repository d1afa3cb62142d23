import Foundation
import GRDB

/// `SigningKeyStore` on SQLite.
///
/// GRDB binds an empty `Data` as NULL, so statements store `COALESCE(?, X'')`: an empty
/// sealed key round-trips as empty bytes, as on PostgreSQL.
struct SQLiteSigningKeyStore: SigningKeyStore {
    let database: SQLiteDatabase

    private static let columns = """
        kid, algorithm, sealed_private_key, public_jwk, created_at, signs_from, signs_until, published_until, \
        root_key_id
        """

    func insert(_ key: StoredSigningKey) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO signing_keys (\(Self.columns)) VALUES (?, ?, COALESCE(?, X''), ?, ?, ?, ?, ?, ?)",
                arguments: [
                    key.kid, key.algorithm, key.sealedPrivateKey, key.publicJWK, key.createdAt.storageMicroseconds,
                    key.signsFrom.storageMicroseconds, key.signsUntil.storageMicroseconds,
                    key.publishedUntil.storageMicroseconds, key.rootKeyID,
                ])
        }
    }

    func all() async throws -> [StoredSigningKey] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM signing_keys ORDER BY signs_from, kid")
                .map(Self.key)
        }
    }

    func update(_ key: StoredSigningKey) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE signing_keys SET algorithm = ?, sealed_private_key = COALESCE(?, X''), public_jwk = ?, \
                    created_at = ?, signs_from = ?, signs_until = ?, published_until = ?, root_key_id = ? WHERE kid = ?
                    """,
                arguments: [
                    key.algorithm, key.sealedPrivateKey, key.publicJWK, key.createdAt.storageMicroseconds,
                    key.signsFrom.storageMicroseconds, key.signsUntil.storageMicroseconds,
                    key.publishedUntil.storageMicroseconds, key.rootKeyID, key.kid,
                ])
            guard db.changesCount > 0 else {
                throw StorageError.conflict("no key \(key.kid)")
            }
        }
    }

    func delete(kid: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM signing_keys WHERE kid = ?", arguments: [kid])
        }
    }

    private static func key(_ row: Row) -> StoredSigningKey {
        StoredSigningKey(
            kid: row["kid"], algorithm: row["algorithm"],
            sealedPrivateKey: (row["sealed_private_key"] as Data?) ?? Data(), publicJWK: row["public_jwk"],
            createdAt: Date(storageMicroseconds: row["created_at"]),
            signsFrom: Date(storageMicroseconds: row["signs_from"]),
            signsUntil: Date(storageMicroseconds: row["signs_until"]),
            publishedUntil: Date(storageMicroseconds: row["published_until"]), rootKeyID: row["root_key_id"])
    }
}
