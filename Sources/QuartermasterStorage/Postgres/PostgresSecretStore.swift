import Foundation
import PostgresNIO

/// `SecretStore` on PostgreSQL. Sealed values and data keys are `BYTEA`.
///
/// A write runs in one transaction that first makes sure the path's `secret_metadata` row
/// exists (`INSERT ... ON CONFLICT DO NOTHING`, a placeholder at version 0 for a new path)
/// and then locks it (`SELECT ... FOR UPDATE`), so writers to one path, from any replica,
/// take turns and each sees the version the previous one committed.
struct PostgresSecretStore: SecretStore {
    let gateway: PostgresGateway

    private static let columns = """
        path, version, sealed_value, wrapped_data_key, root_key_id, created_at, deleted_at, destroyed
        """

    func write(path: String, cas: Int?, maxVersions: Int, customMetadata: [String: String]?, now: Date, _ seal: @Sendable (Int) throws -> StoredSecretVersion) async throws -> StoredSecretVersion {
        let logger = gateway.logger
        let nowMicros = now.storageMicroseconds
        let emptyMetadata = try SecretWritePlan.json([:])
        return try await gateway.transaction { connection in
            try await connection.query(
                """
                INSERT INTO secret_metadata (path, current_version, oldest_version, max_versions, custom_metadata, \
                created_at, updated_at) VALUES (\(path), 0, 0, \(Int64(max(1, maxVersions))), \(emptyMetadata), \
                \(nowMicros), \(nowMicros)) ON CONFLICT (path) DO NOTHING
                """,
                logger: logger)
            var state: (current: Int64, oldest: Int64, customMetadata: String)?
            for try await row in try await connection.query(
                "SELECT current_version, oldest_version, custom_metadata FROM secret_metadata WHERE path = \(path) FOR UPDATE",
                logger: logger
            ).decode((Int64, Int64, String).self) {
                state = row
            }
            guard let state else {
                throw StorageError.unavailable("the secret_metadata row of a secret being written is missing")
            }
            let plan = try SecretWritePlan(
                path: path, current: Int(state.current), oldest: Int(state.oldest),
                storedCustomMetadataJSON: state.current == 0 ? nil : state.customMetadata, cas: cas,
                maxVersions: maxVersions, customMetadata: customMetadata)
            let stored = try plan.checked(seal(plan.version), path: path)
            // A new path keeps the placeholder's created_at, which is `now`.
            try await connection.query(
                """
                UPDATE secret_metadata SET current_version = \(Int64(plan.version)), \
                oldest_version = \(Int64(plan.oldestVersion)), max_versions = \(Int64(plan.maxVersions)), \
                custom_metadata = \(plan.customMetadataJSON), updated_at = \(nowMicros) WHERE path = \(path)
                """,
                logger: logger)
            try await connection.query(
                """
                INSERT INTO secret_versions (\(unescaped: Self.columns)) VALUES (\(stored.path), \
                \(Int64(stored.version)), \(stored.sealedValue), \(stored.wrappedDataKey), \(stored.rootKeyID), \
                \(stored.createdAt.storageMicroseconds), \(stored.deletedAt?.storageMicroseconds), \(stored.destroyed))
                """,
                logger: logger)
            try await connection.query(
                "DELETE FROM secret_versions WHERE path = \(path) AND version < \(Int64(plan.oldestVersion))",
                logger: logger)
            return stored
        }
    }

    func read(path: String, version: Int?) async throws -> StoredSecretVersion? {
        let query: PostgresQuery = if let version {
            "SELECT \(unescaped: Self.columns) FROM secret_versions WHERE path = \(path) AND version = \(Int64(version))"
        } else {
            "SELECT \(unescaped: Self.columns) FROM secret_versions WHERE path = \(path) ORDER BY version DESC LIMIT 1"
        }
        return try await gateway.run { client in
            try await Self.versions(client.query(query)).first
        }
    }

    func metadata(path: String) async throws -> StoredSecretMetadata? {
        try await gateway.run { client in
            var metadata: StoredSecretMetadata?
            for try await (current, oldest, maxVersions, customMetadata, createdAt, updatedAt) in try await client.query(
                """
                SELECT current_version, oldest_version, max_versions, custom_metadata, created_at, updated_at \
                FROM secret_metadata WHERE path = \(path) AND current_version > 0
                """
            ).decode(MetadataRow.self) {
                metadata = try Self.metadata(path: path, (current, oldest, maxVersions, customMetadata, createdAt, updatedAt))
            }
            return metadata
        }
    }

    func readWithMetadata(path: String, version: Int?) async throws -> (metadata: StoredSecretMetadata, version: StoredSecretVersion)? {
        let select = """
            SELECT m.current_version, m.oldest_version, m.max_versions, m.custom_metadata, m.created_at, m.updated_at, \
            v.version, v.sealed_value, v.wrapped_data_key, v.root_key_id, v.created_at, v.deleted_at, v.destroyed \
            FROM secret_metadata m JOIN secret_versions v ON v.path = m.path
            """
        let query: PostgresQuery = if let version {
            "\(unescaped: select) WHERE m.path = \(path) AND m.current_version > 0 AND v.version = \(Int64(version))"
        } else {
            "\(unescaped: select) WHERE m.path = \(path) AND m.current_version > 0 ORDER BY v.version DESC LIMIT 1"
        }
        return try await gateway.run { client in
            var found: (metadata: StoredSecretMetadata, version: StoredSecretVersion)?
            for try await (current, oldest, maxVersions, customMetadata, metadataCreatedAt, updatedAt, number, sealedValue, wrappedDataKey, rootKeyID, createdAt, deletedAt, destroyed)
                in try await client.query(query).decode((Int64, Int64, Int64, String, Int64, Int64, Int64, Data, Data, String, Int64, Int64?, Bool).self)
            {
                found = (
                    try Self.metadata(path: path, (current, oldest, maxVersions, customMetadata, metadataCreatedAt, updatedAt)),
                    Self.version(path: path, (number, sealedValue, wrappedDataKey, rootKeyID, createdAt, deletedAt, destroyed)))
            }
            return found
        }
    }

    func versions(path: String) async throws -> [StoredSecretVersion] {
        try await gateway.run { client in
            try await Self.versions(
                client.query("SELECT \(unescaped: Self.columns) FROM secret_versions WHERE path = \(path) ORDER BY version"))
        }
    }

    func list(prefix: String) async throws -> [String] {
        let folder = SecretListing.folder(prefix)
        // A literal prefix match (no LIKE wildcards): a range start for the primary key, then
        // the first char_length(folder) characters compared for equality.
        let paths = try await gateway.run { client in
            var paths: [String] = []
            for try await path in try await client.query(
                """
                SELECT path FROM secret_metadata WHERE path >= \(folder) \
                AND left(path, char_length(\(folder))) = \(folder) AND current_version > 0
                """
            ).decode(String.self) {
                paths.append(path)
            }
            return paths
        }
        return SecretListing.children(of: folder, in: paths)
    }

    func softDelete(path: String, versions: [Int], at time: Date) async throws -> Int {
        try await update(path: path, versions: versions) { path, versions in
            """
            UPDATE secret_versions SET deleted_at = \(time.storageMicroseconds) \
            WHERE path = \(path) AND version = ANY(\(versions)) AND deleted_at IS NULL RETURNING version
            """
        }
    }

    func undelete(path: String, versions: [Int]) async throws -> Int {
        try await update(path: path, versions: versions) { path, versions in
            """
            UPDATE secret_versions SET deleted_at = NULL \
            WHERE path = \(path) AND version = ANY(\(versions)) AND deleted_at IS NOT NULL AND NOT destroyed \
            RETURNING version
            """
        }
    }

    func destroy(path: String, versions: [Int]) async throws -> Int {
        try await update(path: path, versions: versions) { path, versions in
            """
            UPDATE secret_versions SET sealed_value = ''::bytea, wrapped_data_key = ''::bytea, destroyed = TRUE \
            WHERE path = \(path) AND version = ANY(\(versions)) AND NOT destroyed RETURNING version
            """
        }
    }

    /// Runs the `UPDATE ... RETURNING` that `statement` builds for `path` and the distinct
    /// `versions`, and returns the number of rows it changed.
    private func update(
        path: String, versions: [Int], _ statement: (String, [Int64]) -> PostgresQuery
    ) async throws -> Int {
        let versions = versions.distinctVersions
        guard !versions.isEmpty else { return 0 }
        let query = statement(path, versions)
        return try await gateway.run { client in
            var count = 0
            for try await _ in try await client.query(query) {
                count += 1
            }
            return count
        }
    }

    private static func versions(_ rows: PostgresRowSequence) async throws -> [StoredSecretVersion] {
        var versions: [StoredSecretVersion] = []
        for try await (path, version, sealedValue, wrappedDataKey, rootKeyID, createdAt, deletedAt, destroyed)
            in rows.decode((String, Int64, Data, Data, String, Int64, Int64?, Bool).self)
        {
            versions.append(Self.version(path: path, (version, sealedValue, wrappedDataKey, rootKeyID, createdAt, deletedAt, destroyed)))
        }
        return versions
    }

    /// A `secret_metadata` row after its path: current, oldest and max versions, custom
    /// metadata JSON, created and updated (µs).
    private typealias MetadataRow = (Int64, Int64, Int64, String, Int64, Int64)

    private static func metadata(path: String, _ row: MetadataRow) throws -> StoredSecretMetadata {
        StoredSecretMetadata(
            path: path, currentVersion: Int(row.0), oldestVersion: Int(row.1), maxVersions: Int(row.2),
            customMetadata: try SecretWritePlan.customMetadata(fromJSON: row.3),
            createdAt: Date(storageMicroseconds: row.4), updatedAt: Date(storageMicroseconds: row.5))
    }

    /// A `secret_versions` row after its path: version, sealed value, wrapped data key, root
    /// key id, created (µs), deleted (µs) and destroyed.
    private typealias VersionRow = (Int64, Data, Data, String, Int64, Int64?, Bool)

    private static func version(path: String, _ row: VersionRow) -> StoredSecretVersion {
        StoredSecretVersion(
            path: path, version: Int(row.0), sealedValue: row.1, wrappedDataKey: row.2, rootKeyID: row.3,
            createdAt: Date(storageMicroseconds: row.4), deletedAt: row.5.map(Date.init(storageMicroseconds:)),
            destroyed: row.6)
    }
}
