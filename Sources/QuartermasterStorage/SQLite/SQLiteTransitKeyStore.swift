import Foundation
import GRDB

/// `TransitKeyStore` on SQLite. Each change runs in one write transaction, which holds
/// SQLite's single write lock from checking the key's latest version to storing the next, so
/// of concurrent rotations to one version exactly one succeeds.
///
/// GRDB binds an empty `Data` as NULL, so statements store `COALESCE(?, X'')`: an empty
/// sealed key round-trips as empty bytes, as on PostgreSQL.
struct SQLiteTransitKeyStore: TransitKeyStore {
    let database: SQLiteDatabase

    func create(_ key: StoredTransitKey) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO transit_keys (name, latest_version, min_decryption_version, created_at, updated_at) \
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.name, key.latestVersion, key.minDecryptionVersion, key.createdAt.storageMicroseconds,
                    key.updatedAt.storageMicroseconds,
                ])
            for version in key.versions {
                try Self.insert(version, name: key.name, db)
            }
        }
    }

    func key(name: String) async throws -> StoredTransitKey? {
        try await database.read { db in
            try Self.key(name: name, db)
        }
    }

    func addVersion(name: String, _ version: StoredTransitKeyVersion, now: Date) async throws -> StoredTransitKey {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE transit_keys SET latest_version = ?, updated_at = ? WHERE name = ? AND latest_version = ?",
                arguments: [version.version, now.storageMicroseconds, name, version.version - 1])
            guard db.changesCount > 0 else {
                throw StorageError.conflict(TransitKeyRotation.conflict(name: name, version: version.version))
            }
            try Self.insert(version, name: name, db)
            return try Self.stored(name: name, db)
        }
    }

    func setMinDecryptionVersion(name: String, _ minimum: Int, now: Date) async throws -> StoredTransitKey? {
        try await database.write { db in
            guard let latest = try Int.fetchOne(
                db, sql: "SELECT latest_version FROM transit_keys WHERE name = ?", arguments: [name])
            else { return nil }
            try TransitKeyRotation.checkMinDecryptionVersion(minimum, latest: latest, name: name)
            try db.execute(
                sql: "UPDATE transit_keys SET min_decryption_version = ?, updated_at = ? WHERE name = ?",
                arguments: [minimum, now.storageMicroseconds, name])
            return try Self.stored(name: name, db)
        }
    }

    func names() async throws -> [String] {
        try await database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM transit_keys ORDER BY name")
        }
    }

    private static func insert(_ version: StoredTransitKeyVersion, name: String, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO transit_key_versions (name, version, sealed_key, root_key_id, created_at) \
                VALUES (?, ?, COALESCE(?, X''), ?, ?)
                """,
            arguments: [name, version.version, version.sealedKey, version.rootKeyID, version.createdAt.storageMicroseconds])
    }

    /// The key as a change in this transaction left it.
    private static func stored(name: String, _ db: Database) throws -> StoredTransitKey {
        guard let key = try key(name: name, db) else {
            throw StorageError.unavailable("the transit key \(name) being changed is missing")
        }
        return key
    }

    private static func key(name: String, _ db: Database) throws -> StoredTransitKey? {
        guard let row = try Row.fetchOne(
            db,
            sql: """
                SELECT latest_version, min_decryption_version, created_at, updated_at FROM transit_keys WHERE name = ?
                """,
            arguments: [name])
        else { return nil }
        let versions = try Row.fetchAll(
            db,
            sql: """
                SELECT version, sealed_key, root_key_id, created_at FROM transit_key_versions \
                WHERE name = ? ORDER BY version
                """,
            arguments: [name]
        ).map { version in
            StoredTransitKeyVersion(
                version: version["version"], sealedKey: (version["sealed_key"] as Data?) ?? Data(),
                rootKeyID: version["root_key_id"], createdAt: Date(storageMicroseconds: version["created_at"]))
        }
        return StoredTransitKey(
            name: name, latestVersion: row["latest_version"], minDecryptionVersion: row["min_decryption_version"],
            createdAt: Date(storageMicroseconds: row["created_at"]), updatedAt: Date(storageMicroseconds: row["updated_at"]),
            versions: versions)
    }
}
