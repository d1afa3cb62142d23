import Foundation
import GRDB

/// `SecretStore` on SQLite. A write runs in one write transaction, which holds SQLite's
/// single write lock from reading the current version to storing the next, so writes are
/// serialized.
///
/// GRDB binds an empty `Data` as NULL, so statements store `COALESCE(?, X'')`: empty bytes
/// round-trip as empty bytes, as on PostgreSQL.
struct SQLiteSecretStore: SecretStore {
    let database: SQLiteDatabase

    private static let columns = """
        path, version, sealed_value, wrapped_data_key, root_key_id, created_at, deleted_at, destroyed
        """

    func write(path: String, cas: Int?, maxVersions: Int, customMetadata: [String: String]?, now: Date, _ seal: @Sendable (Int) throws -> StoredSecretVersion) async throws -> StoredSecretVersion {
        let nowMicros = now.storageMicroseconds
        return try await database.write { db in
            let existing = try Row.fetchOne(
                db, sql: "SELECT current_version, oldest_version, custom_metadata FROM secret_metadata WHERE path = ?",
                arguments: [path])
            let plan = try SecretWritePlan(
                path: path, current: existing?["current_version"] ?? 0, oldest: existing?["oldest_version"] ?? 0,
                storedCustomMetadataJSON: existing?["custom_metadata"], cas: cas, maxVersions: maxVersions,
                customMetadata: customMetadata)
            let stored = try plan.checked(seal(plan.version), path: path)
            if existing == nil {
                try db.execute(
                    sql: """
                        INSERT INTO secret_metadata (path, current_version, oldest_version, max_versions, \
                        custom_metadata, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [path, plan.version, plan.oldestVersion, plan.maxVersions, plan.customMetadataJSON, nowMicros, nowMicros])
            } else {
                try db.execute(
                    sql: """
                        UPDATE secret_metadata SET current_version = ?, oldest_version = ?, max_versions = ?, \
                        custom_metadata = ?, updated_at = ? WHERE path = ?
                        """,
                    arguments: [plan.version, plan.oldestVersion, plan.maxVersions, plan.customMetadataJSON, nowMicros, path])
            }
            try db.execute(
                sql: "INSERT INTO secret_versions (\(Self.columns)) VALUES (?, ?, COALESCE(?, X''), COALESCE(?, X''), ?, ?, ?, ?)",
                arguments: [
                    stored.path, stored.version, stored.sealedValue, stored.wrappedDataKey, stored.rootKeyID,
                    stored.createdAt.storageMicroseconds, stored.deletedAt?.storageMicroseconds, stored.destroyed,
                ])
            try db.execute(
                sql: "DELETE FROM secret_versions WHERE path = ? AND version < ?", arguments: [path, plan.oldestVersion])
            return stored
        }
    }

    func read(path: String, version: Int?) async throws -> StoredSecretVersion? {
        try await database.read { db in try Self.read(path: path, version: version, in: db) }
    }

    func metadata(path: String) async throws -> StoredSecretMetadata? {
        try await database.read { db in try Self.metadata(path: path, in: db) }
    }

    func readWithMetadata(path: String, version: Int?) async throws -> (metadata: StoredSecretMetadata, version: StoredSecretVersion)? {
        try await database.read { db in
            guard let metadata = try Self.metadata(path: path, in: db), let stored = try Self.read(path: path, version: version, in: db) else {
                return nil
            }
            return (metadata, stored)
        }
    }

    private static func read(path: String, version: Int?, in db: Database) throws -> StoredSecretVersion? {
        if let version {
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(columns) FROM secret_versions WHERE path = ? AND version = ?"),
                arguments: [path, version]
            ).map(Self.version)
        } else {
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(columns) FROM secret_versions WHERE path = ? ORDER BY version DESC LIMIT 1"),
                arguments: [path]
            ).map(Self.version)
        }
    }

    private static func metadata(path: String, in db: Database) throws -> StoredSecretMetadata? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT current_version, oldest_version, max_versions, custom_metadata, created_at, updated_at \
                FROM secret_metadata WHERE path = ?
                """),
            arguments: [path])
        else { return nil }
        return StoredSecretMetadata(
            path: path, currentVersion: row["current_version"], oldestVersion: row["oldest_version"],
            maxVersions: row["max_versions"],
            customMetadata: try SecretWritePlan.customMetadata(fromJSON: row["custom_metadata"]),
            createdAt: Date(storageMicroseconds: row["created_at"]),
            updatedAt: Date(storageMicroseconds: row["updated_at"]))
    }

    func versions(path: String) async throws -> [StoredSecretVersion] {
        try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.columns) FROM secret_versions WHERE path = ? ORDER BY version",
                arguments: [path]
            ).map(Self.version)
        }
    }

    func list(prefix: String) async throws -> [String] {
        let folder = SecretListing.folder(prefix)
        // A literal prefix match (no LIKE wildcards): a range start for the primary key, then
        // the first length(folder) characters compared for equality.
        let paths = try await database.read { db in
            try String.fetchAll(
                db, sql: "SELECT path FROM secret_metadata WHERE path >= ?1 AND substr(path, 1, length(?1)) = ?1",
                arguments: [folder])
        }
        return SecretListing.children(of: folder, in: paths)
    }

    func softDelete(path: String, versions: [Int], at time: Date) async throws -> Int {
        try await update(
            "SET deleted_at = ?", arguments: [time.storageMicroseconds], path: path, versions: versions,
            condition: "deleted_at IS NULL")
    }

    func undelete(path: String, versions: [Int]) async throws -> Int {
        try await update(
            "SET deleted_at = NULL", arguments: [], path: path, versions: versions,
            condition: "deleted_at IS NOT NULL AND destroyed = 0")
    }

    func destroy(path: String, versions: [Int]) async throws -> Int {
        try await update(
            "SET sealed_value = X'', wrapped_data_key = X'', destroyed = 1", arguments: [], path: path,
            versions: versions, condition: "destroyed = 0")
    }

    /// Runs `UPDATE secret_versions <assignments> WHERE path AND version IN versions AND
    /// condition` and returns the number of rows changed.
    private func update(
        _ assignments: String, arguments: StatementArguments, path: String, versions: [Int], condition: String
    ) async throws -> Int {
        let versions = versions.distinctVersions
        guard !versions.isEmpty else { return 0 }
        let placeholders = Array(repeating: "?", count: versions.count).joined(separator: ", ")
        let sql = """
            UPDATE secret_versions \(assignments) WHERE path = ? AND version IN (\(placeholders)) AND \(condition)
            """
        let allArguments = arguments + [path] + StatementArguments(versions)
        return try await database.write { db in
            try db.execute(sql: sql, arguments: allArguments)
            return db.changesCount
        }
    }

    private static func version(_ row: Row) -> StoredSecretVersion {
        StoredSecretVersion(
            path: row["path"], version: row["version"], sealedValue: (row["sealed_value"] as Data?) ?? Data(),
            wrappedDataKey: (row["wrapped_data_key"] as Data?) ?? Data(), rootKeyID: row["root_key_id"],
            createdAt: Date(storageMicroseconds: row["created_at"]),
            deletedAt: (row["deleted_at"] as Int64?).map(Date.init(storageMicroseconds:)),
            destroyed: row["destroyed"])
    }
}
