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
        // Signing keys, OAuth clients, replay guard, registrations, revocations, API keys.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: """
                CREATE TABLE signing_keys (
                    kid TEXT PRIMARY KEY NOT NULL,
                    algorithm TEXT NOT NULL,
                    sealed_private_key BLOB NOT NULL,
                    public_jwk TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    signs_from INTEGER NOT NULL,
                    signs_until INTEGER NOT NULL,
                    published_until INTEGER NOT NULL
                );
                CREATE TABLE oauth_clients (
                    client_id TEXT PRIMARY KEY NOT NULL,
                    identity TEXT NOT NULL,
                    secret_hash TEXT,
                    jwks TEXT,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                );
                CREATE INDEX oauth_clients_created_at ON oauth_clients (created_at);
                CREATE TABLE replay_ids (
                    id TEXT PRIMARY KEY NOT NULL,
                    expires_at INTEGER NOT NULL
                );
                CREATE INDEX replay_ids_expires_at ON replay_ids (expires_at);
                CREATE TABLE registrations (
                    instance_id TEXT PRIMARY KEY NOT NULL,
                    service TEXT NOT NULL,
                    cluster_id TEXT NOT NULL,
                    registered_at INTEGER NOT NULL,
                    credential_id TEXT NOT NULL
                );
                CREATE INDEX registrations_service ON registrations (service, registered_at);
                CREATE INDEX registrations_registered_at ON registrations (registered_at);
                CREATE TABLE revocations (
                    jti TEXT PRIMARY KEY NOT NULL,
                    revoked_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    reason TEXT NOT NULL
                );
                CREATE INDEX revocations_revoked_at ON revocations (revoked_at);
                CREATE INDEX revocations_expires_at ON revocations (expires_at);
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY NOT NULL,
                    identity TEXT NOT NULL,
                    name TEXT NOT NULL,
                    roles TEXT NOT NULL,
                    secret_hmac TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER,
                    revoked_at INTEGER,
                    last_used_at INTEGER,
                    replaced_by TEXT,
                    grace_until INTEGER
                );
                CREATE INDEX api_keys_identity ON api_keys (identity, created_at);
                CREATE INDEX api_keys_created_at ON api_keys (created_at);
                """)
        }
        // Versioned secrets.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                CREATE TABLE secret_metadata (
                    path TEXT PRIMARY KEY NOT NULL,
                    current_version INTEGER NOT NULL,
                    oldest_version INTEGER NOT NULL,
                    max_versions INTEGER NOT NULL,
                    custom_metadata TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE secret_versions (
                    path TEXT NOT NULL REFERENCES secret_metadata (path),
                    version INTEGER NOT NULL,
                    sealed_value BLOB NOT NULL,
                    wrapped_data_key BLOB NOT NULL,
                    root_key_id TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    deleted_at INTEGER,
                    destroyed INTEGER NOT NULL,
                    PRIMARY KEY (path, version)
                );
                CREATE INDEX secret_versions_root_key_id ON secret_versions (root_key_id);
                """)
        }
        // Leases, transit keys, the root keyring, and the root key of each signing key.
        migrator.registerMigration("v4") { db in
            try db.execute(sql: """
                CREATE TABLE leases (
                    id TEXT PRIMARY KEY NOT NULL,
                    subject TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    resource TEXT NOT NULL,
                    issued_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    max_expires_at INTEGER NOT NULL,
                    renewable INTEGER NOT NULL,
                    parent_id TEXT
                );
                CREATE INDEX leases_expires_at ON leases (expires_at);
                CREATE INDEX leases_subject ON leases (subject, id);
                CREATE INDEX leases_parent_id ON leases (parent_id);
                CREATE TABLE transit_keys (
                    name TEXT PRIMARY KEY NOT NULL,
                    latest_version INTEGER NOT NULL,
                    min_decryption_version INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE transit_key_versions (
                    name TEXT NOT NULL REFERENCES transit_keys (name),
                    version INTEGER NOT NULL,
                    sealed_key BLOB NOT NULL,
                    root_key_id TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (name, version)
                );
                CREATE INDEX transit_key_versions_root_key_id ON transit_key_versions (root_key_id);
                CREATE TABLE root_keys (
                    id TEXT PRIMARY KEY NOT NULL,
                    sealed_key BLOB NOT NULL,
                    sealed_by TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    retired_at INTEGER
                );
                ALTER TABLE signing_keys ADD COLUMN root_key_id TEXT NOT NULL DEFAULT 'root-1';
                """)
        }
        // The TTL a lease was granted with (microseconds), the default renewal increment;
        // 0 for leases written before it was recorded.
        migrator.registerMigration("v5") { db in
            try db.execute(sql: "ALTER TABLE leases ADD COLUMN ttl INTEGER NOT NULL DEFAULT 0")
        }
        // Reasons and details that audit records repeat, kept once: a record refers to its
        // text by id and leaves its own column empty, so each row puts far fewer bytes on
        // disk (docs/PERFORMANCE.md, eighth pass). Rows written before keep their texts.
        migrator.registerMigration("v6") { db in
            try db.execute(sql: """
                CREATE TABLE audit_texts (
                    id INTEGER PRIMARY KEY NOT NULL,
                    text TEXT NOT NULL UNIQUE
                );
                ALTER TABLE audit_records ADD COLUMN reason_text INTEGER REFERENCES audit_texts (id);
                ALTER TABLE audit_records ADD COLUMN details_text INTEGER REFERENCES audit_texts (id);
                """)
        }
        return migrator
    }
}
