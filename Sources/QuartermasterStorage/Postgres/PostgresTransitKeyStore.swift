import Foundation
import PostgresNIO

/// `TransitKeyStore` on PostgreSQL. Sealed keys are `BYTEA`.
///
/// A rotation is a compare-and-swap on the key's row (`UPDATE ... WHERE latest_version = n`):
/// concurrent rotations from any replica wait on the row lock, and PostgreSQL re-checks the
/// condition on the row as the winner left it, so exactly one of them succeeds. Changing the
/// minimum decryption version locks the row (`SELECT ... FOR UPDATE`) before checking it.
struct PostgresTransitKeyStore: TransitKeyStore {
    let gateway: PostgresGateway

    func create(_ key: StoredTransitKey) async throws {
        let logger = gateway.logger
        try await gateway.transaction { connection in
            try await connection.query(
                """
                INSERT INTO transit_keys (name, latest_version, min_decryption_version, created_at, updated_at) \
                VALUES (\(key.name), \(Int64(key.latestVersion)), \(Int64(key.minDecryptionVersion)), \
                \(key.createdAt.storageMicroseconds), \(key.updatedAt.storageMicroseconds))
                """,
                logger: logger)
            for version in key.versions {
                try await Self.insert(version, name: key.name, connection, logger: logger)
            }
        }
    }

    func key(name: String) async throws -> StoredTransitKey? {
        try await gateway.run { client in
            try await Self.key(name: name, client.query(Self.select(name: name)))
        }
    }

    func addVersion(name: String, _ version: StoredTransitKeyVersion, now: Date) async throws -> StoredTransitKey {
        let logger = gateway.logger
        return try await gateway.transaction { connection in
            var swapped = false
            for try await _ in try await connection.query(
                """
                UPDATE transit_keys SET latest_version = \(Int64(version.version)), \
                updated_at = \(now.storageMicroseconds) \
                WHERE name = \(name) AND latest_version = \(Int64(version.version - 1)) RETURNING name
                """,
                logger: logger
            ) {
                swapped = true
            }
            guard swapped else {
                throw StorageError.conflict(TransitKeyRotation.conflict(name: name, version: version.version))
            }
            try await Self.insert(version, name: name, connection, logger: logger)
            return try await Self.stored(name: name, connection, logger: logger)
        }
    }

    func setMinDecryptionVersion(name: String, _ minimum: Int, now: Date) async throws -> StoredTransitKey? {
        let logger = gateway.logger
        return try await gateway.transaction { connection in
            var latest: Int?
            for try await version in try await connection.query(
                "SELECT latest_version FROM transit_keys WHERE name = \(name) FOR UPDATE", logger: logger
            ).decode(Int.self) {
                latest = version
            }
            guard let latest else { return nil }
            try TransitKeyRotation.checkMinDecryptionVersion(minimum, latest: latest, name: name)
            try await connection.query(
                """
                UPDATE transit_keys SET min_decryption_version = \(Int64(minimum)), \
                updated_at = \(now.storageMicroseconds) WHERE name = \(name)
                """,
                logger: logger)
            return try await Self.stored(name: name, connection, logger: logger)
        }
    }

    func names() async throws -> [String] {
        try await gateway.run { client in
            var names: [String] = []
            for try await name in try await client.query("SELECT name FROM transit_keys ORDER BY name").decode(String.self) {
                names.append(name)
            }
            return names
        }
    }

    private static func insert(
        _ version: StoredTransitKeyVersion, name: String, _ connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.query(
            """
            INSERT INTO transit_key_versions (name, version, sealed_key, root_key_id, created_at) \
            VALUES (\(name), \(Int64(version.version)), \(version.sealedKey), \(version.rootKeyID), \
            \(version.createdAt.storageMicroseconds))
            """,
            logger: logger)
    }

    /// The key as a change in this transaction left it.
    private static func stored(name: String, _ connection: PostgresConnection, logger: Logger) async throws -> StoredTransitKey {
        guard let key = try await key(name: name, connection.query(select(name: name), logger: logger)) else {
            throw StorageError.unavailable("the transit key \(name) being changed is missing")
        }
        return key
    }

    /// The key's row joined with its versions, in one statement so they come from one snapshot.
    private static func select(name: String) -> PostgresQuery {
        """
        SELECT k.latest_version, k.min_decryption_version, k.created_at, k.updated_at, \
        v.version, v.sealed_key, v.root_key_id, v.created_at \
        FROM transit_keys k LEFT JOIN transit_key_versions v ON v.name = k.name \
        WHERE k.name = \(name) ORDER BY v.version
        """
    }

    /// The key `select(name:)` returned, or nil when it returned no row.
    private static func key(name: String, _ rows: PostgresRowSequence) async throws -> StoredTransitKey? {
        var key: StoredTransitKey?
        for try await (latest, minimum, createdAt, updatedAt, version, sealedKey, rootKeyID, versionCreatedAt)
            in rows.decode((Int64, Int64, Int64, Int64, Int64?, Data?, String?, Int64?).self)
        {
            if key == nil {
                key = StoredTransitKey(
                    name: name, latestVersion: Int(latest), minDecryptionVersion: Int(minimum),
                    createdAt: Date(storageMicroseconds: createdAt), updatedAt: Date(storageMicroseconds: updatedAt),
                    versions: [])
            }
            if let version, let sealedKey, let rootKeyID, let versionCreatedAt {
                key?.versions.append(StoredTransitKeyVersion(
                    version: Int(version), sealedKey: sealedKey, rootKeyID: rootKeyID,
                    createdAt: Date(storageMicroseconds: versionCreatedAt)))
            }
        }
        return key
    }
}
