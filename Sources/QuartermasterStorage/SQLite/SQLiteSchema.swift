import GRDB

/// The SQLite schema as versioned GRDB migrations, applied when a backend opens.
///
/// Instants are integer microseconds since 1970 (see `Date.storageMicroseconds`), the same
/// representation the PostgreSQL schema uses. Never edit a registered migration: add a new one.
enum SQLiteSchema {
    /// A migrator with every migration registered, oldest first.
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE policies (
                    version INTEGER PRIMARY KEY NOT NULL,
                    document TEXT NOT NULL,
                    source_name TEXT NOT NULL,
                    digest TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    created_by TEXT NOT NULL,
                    comment TEXT NOT NULL
                );
                CREATE TABLE audit_records (
                    sequence INTEGER PRIMARY KEY NOT NULL,
                    "time" INTEGER NOT NULL,
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
                );
                CREATE INDEX audit_records_subject ON audit_records (subject, sequence);
                CREATE INDEX audit_records_time ON audit_records ("time");
                CREATE TABLE audit_head (
                    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
                    sequence INTEGER NOT NULL,
                    hash TEXT NOT NULL
                );
                CREATE TABLE credentials (
                    id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL,
                    identity TEXT NOT NULL,
                    secret_hash TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER,
                    revoked_at INTEGER
                );
                CREATE INDEX credentials_kind ON credentials (kind);
                """)
            try db.execute(
                sql: "INSERT INTO audit_head (id, sequence, hash) VALUES (1, ?, ?)",
                arguments: [AuditChainHead.genesis.sequence, AuditChainHead.genesis.hash])
        }
        return migrator
    }
}
