import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL schema as versioned migrations, recorded in `schema_migrations(version)`.
///
/// Instants are `BIGINT` microseconds since 1970 (see `Date.storageMicroseconds`), the same
/// representation the SQLite schema uses. Never edit a listed migration: append a new one.
enum PostgresSchema {
    /// Every migration, oldest first.
    static let migrations: [(version: Int64, statements: [PostgresQuery])] = [
        (1, [
            """
            CREATE TABLE policies (
                version BIGINT PRIMARY KEY,
                document TEXT NOT NULL,
                source_name TEXT NOT NULL,
                digest TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                created_by TEXT NOT NULL,
                comment TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE audit_records (
                sequence BIGINT PRIMARY KEY,
                "time" BIGINT NOT NULL,
                request_id TEXT NOT NULL,
                subject TEXT NOT NULL,
                action TEXT NOT NULL,
                resource TEXT NOT NULL,
                decision TEXT NOT NULL,
                reason TEXT NOT NULL,
                source TEXT NOT NULL,
                details TEXT NOT NULL,
                previous_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX audit_records_subject ON audit_records (subject, sequence)",
            "CREATE INDEX audit_records_time ON audit_records (\"time\")",
            """
            CREATE TABLE audit_head (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                sequence BIGINT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            """
            INSERT INTO audit_head (id, sequence, hash)
            VALUES (1, \(AuditChainHead.genesis.sequence), \(AuditChainHead.genesis.hash))
            """,
            """
            CREATE TABLE credentials (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                identity TEXT NOT NULL,
                secret_hash TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT,
                revoked_at BIGINT
            )
            """,
            "CREATE INDEX credentials_kind ON credentials (kind)",
        ]),
        // Signing keys, OAuth clients, replay guard, registrations, revocations, API keys.
        // Key columns use the "C" collation so ids compare and sort bytewise, as in SQLite,
        // whatever the database's default collation.
        (2, [
            """
            CREATE TABLE signing_keys (
                kid TEXT COLLATE "C" PRIMARY KEY,
                algorithm TEXT NOT NULL,
                sealed_private_key BYTEA NOT NULL,
                public_jwk TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                signs_from BIGINT NOT NULL,
                signs_until BIGINT NOT NULL,
                published_until BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE oauth_clients (
                client_id TEXT COLLATE "C" PRIMARY KEY,
                identity TEXT NOT NULL,
                secret_hash TEXT,
                jwks TEXT,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT
            )
            """,
            "CREATE INDEX oauth_clients_created_at ON oauth_clients (created_at)",
            """
            CREATE TABLE replay_ids (
                id TEXT COLLATE "C" PRIMARY KEY,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX replay_ids_expires_at ON replay_ids (expires_at)",
            """
            CREATE TABLE registrations (
                instance_id TEXT COLLATE "C" PRIMARY KEY,
                service TEXT NOT NULL,
                cluster_id TEXT NOT NULL,
                registered_at BIGINT NOT NULL,
                credential_id TEXT NOT NULL
            )
            """,
            "CREATE INDEX registrations_service ON registrations (service, registered_at)",
            "CREATE INDEX registrations_registered_at ON registrations (registered_at)",
            """
            CREATE TABLE revocations (
                jti TEXT COLLATE "C" PRIMARY KEY,
                revoked_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                reason TEXT NOT NULL
            )
            """,
            "CREATE INDEX revocations_revoked_at ON revocations (revoked_at)",
            "CREATE INDEX revocations_expires_at ON revocations (expires_at)",
            """
            CREATE TABLE api_keys (
                id TEXT COLLATE "C" PRIMARY KEY,
                identity TEXT NOT NULL,
                name TEXT NOT NULL,
                roles TEXT NOT NULL,
                secret_hmac TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT,
                revoked_at BIGINT,
                last_used_at BIGINT,
                replaced_by TEXT,
                grace_until BIGINT
            )
            """,
            "CREATE INDEX api_keys_identity ON api_keys (identity, created_at)",
            "CREATE INDEX api_keys_created_at ON api_keys (created_at)",
        ]),
        // Versioned secrets. Paths use the "C" collation so they compare, sort and match
        // prefixes bytewise, as in SQLite.
        (3, [
            """
            CREATE TABLE secret_metadata (
                path TEXT COLLATE "C" PRIMARY KEY,
                current_version BIGINT NOT NULL,
                oldest_version BIGINT NOT NULL,
                max_versions BIGINT NOT NULL,
                custom_metadata TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE secret_versions (
                path TEXT COLLATE "C" NOT NULL REFERENCES secret_metadata (path),
                version BIGINT NOT NULL,
                sealed_value BYTEA NOT NULL,
                wrapped_data_key BYTEA NOT NULL,
                root_key_id TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                deleted_at BIGINT,
                destroyed BOOLEAN NOT NULL,
                PRIMARY KEY (path, version)
            )
            """,
            "CREATE INDEX secret_versions_root_key_id ON secret_versions (root_key_id)",
        ]),
        // Leases, transit keys, the root keyring, and the root key of each signing key. Ids
        // and names use the "C" collation so they compare, sort and match prefixes bytewise,
        // as in SQLite.
        (4, [
            """
            CREATE TABLE leases (
                id TEXT COLLATE "C" PRIMARY KEY,
                subject TEXT COLLATE "C" NOT NULL,
                kind TEXT NOT NULL,
                resource TEXT NOT NULL,
                issued_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL,
                max_expires_at BIGINT NOT NULL,
                renewable BOOLEAN NOT NULL,
                parent_id TEXT COLLATE "C"
            )
            """,
            "CREATE INDEX leases_expires_at ON leases (expires_at)",
            "CREATE INDEX leases_subject ON leases (subject, id)",
            "CREATE INDEX leases_parent_id ON leases (parent_id)",
            """
            CREATE TABLE transit_keys (
                name TEXT COLLATE "C" PRIMARY KEY,
                latest_version BIGINT NOT NULL,
                min_decryption_version BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE transit_key_versions (
                name TEXT COLLATE "C" NOT NULL REFERENCES transit_keys (name),
                version BIGINT NOT NULL,
                sealed_key BYTEA NOT NULL,
                root_key_id TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (name, version)
            )
            """,
            "CREATE INDEX transit_key_versions_root_key_id ON transit_key_versions (root_key_id)",
            """
            CREATE TABLE root_keys (
                id TEXT COLLATE "C" PRIMARY KEY,
                sealed_key BYTEA NOT NULL,
                sealed_by TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                retired_at BIGINT
            )
            """,
            "ALTER TABLE signing_keys ADD COLUMN root_key_id TEXT NOT NULL DEFAULT 'root-1'",
        ]),
        // The TTL a lease was granted with (microseconds), the default renewal increment;
        // 0 for leases written before it was recorded.
        (5, [
            "ALTER TABLE leases ADD COLUMN ttl BIGINT NOT NULL DEFAULT 0",
        ]),
    ]

    /// Key of the transaction-scoped advisory lock that serializes migrations across
    /// replicas starting at once ("QMSCHEMA" in ASCII).
    private static let lockKey: Int64 = 0x514D_5343_4845_4D41

    /// Applies pending migrations in one transaction on a dedicated connection.
    ///
    /// A dedicated connection (rather than the pool, which retries a failing server for a
    /// minute) makes an unreachable server fail `connect` at once.
    static func migrate(settings: PostgresSettings, logger: Logger) async throws {
        try await migrate(settings: settings, logger: logger, through: nil)
    }

    /// Applies pending migrations up to and including `lastVersion` (all when nil). A
    /// version other than nil is for migration tests, which build a database as an older
    /// release left it.
    static func migrate(settings: PostgresSettings, logger: Logger, through lastVersion: Int64?) async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: settings.connectionConfiguration(), id: 0, logger: logger)
        } catch {
            throw settings.storageError(error)
        }
        do {
            try await connection.withTransaction(logger: logger) { connection in
                try await apply(on: connection, through: lastVersion, logger: logger)
            }
        } catch {
            try? await connection.close()
            throw settings.storageError(error)
        }
        try? await connection.close()
    }

    private static func apply(on connection: PostgresConnection, through lastVersion: Int64?, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
        try await connection.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
            logger: logger)
        var applied: Set<Int64> = []
        for try await version in try await connection.query(
            "SELECT version FROM schema_migrations", logger: logger
        ).decode(Int64.self) {
            applied.insert(version)
        }
        for migration in migrations
        where !applied.contains(migration.version) && migration.version <= (lastVersion ?? .max) {
            for statement in migration.statements {
                try await connection.query(statement, logger: logger)
            }
            try await connection.query(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (\(migration.version), \(Date().storageMicroseconds))",
                logger: logger)
            logger.info("applied storage migration", metadata: ["version": "\(migration.version)"])
        }
    }
}
