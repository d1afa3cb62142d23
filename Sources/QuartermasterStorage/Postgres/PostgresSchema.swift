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
    ]

    /// Key of the transaction-scoped advisory lock that serializes migrations across
    /// replicas starting at once ("QMSCHEMA" in ASCII).
    private static let lockKey: Int64 = 0x514D_5343_4845_4D41

    /// Applies pending migrations in one transaction on a dedicated connection.
    ///
    /// A dedicated connection (rather than the pool, which retries a failing server for a
    /// minute) makes an unreachable server fail `connect` at once.
    static func migrate(settings: PostgresSettings, logger: Logger) async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: settings.connectionConfiguration(), id: 0, logger: logger)
        } catch {
            throw settings.storageError(error)
        }
        do {
            try await connection.withTransaction(logger: logger) { connection in
                try await apply(on: connection, logger: logger)
            }
        } catch {
            try? await connection.close()
            throw settings.storageError(error)
        }
        try? await connection.close()
    }

    private static func apply(on connection: PostgresConnection, logger: Logger) async throws {
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
        for migration in migrations where !applied.contains(migration.version) {
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
