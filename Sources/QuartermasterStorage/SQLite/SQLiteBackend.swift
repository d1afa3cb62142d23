import Foundation
import GRDB

/// The embedded backend: one SQLite file through a GRDB `DatabasePool` in WAL mode.
///
/// Durability: the writer connection runs with `PRAGMA synchronous = FULL`, so every commit
/// fsyncs the write-ahead log before a write (`insert`, `revoke`, `use`...) returns. With
/// WAL's usual `NORMAL` a commit acknowledged to a client (a secret version, a revocation)
/// could be lost on power failure.
///
/// The audit log of a database file opened by path goes through a journal next to it
/// (`PATH-audit-journal/`, see `SQLiteJournaledAuditStore`): an acknowledged record is
/// written before the response and reaches the table, synced, within 50 ms. The journal is
/// locked: one process at a time opens a database file as `StorageRole.server`; others open
/// it as `.secondary`, with a read-only audit log.
public final class SQLiteBackend: StorageBackend {
    public let policies: any PolicyStore
    public let audit: any AuditStore
    public let credentials: any CredentialStore
    public let signingKeys: any SigningKeyStore
    public let clients: any ClientStore
    public let replay: any ReplayStore
    public let registrations: any RegistrationStore
    public let revocations: any RevocationStore
    public let apiKeys: any APIKeyStore
    public let secrets: any SecretStore
    public let leases: any LeaseStore
    public let transitKeys: any TransitKeyStore
    public let rootKeys: any RootKeyStore
    private let database: SQLiteDatabase
    private let journaledAudit: SQLiteJournaledAuditStore?

    /// Opens the database file at `path`, creating it and its parent directory when missing,
    /// and applies pending migrations.
    ///
    /// - Throws: `StorageError.unavailable` when the file cannot be created, opened or
    ///   migrated, or, for the `server` role, when another process holds its audit journal.
    public convenience init(path: String, role: StorageRole = .server) throws {
        try self.init(writer: Self.openPool(path: path), audit: role == .server ? .journaled(path + "-audit-journal", flushInterval: .milliseconds(50)) : .reader)
    }

    /// Opens the file at `path` as the server, committing journaled audit records every
    /// `auditFlushInterval`: for tests that need records to stay in the journal.
    static func open(path: String, auditFlushInterval: Duration) throws -> SQLiteBackend {
        try SQLiteBackend(writer: openPool(path: path), audit: .journaled(path + "-audit-journal", flushInterval: auditFlushInterval))
    }

    /// A private in-memory database with the full schema, for tests. Contents vanish with it.
    public static func inMemory() throws -> SQLiteBackend {
        do {
            return try SQLiteBackend(writer: DatabaseQueue(configuration: configuration()))
        } catch {
            throw SQLiteDatabase.storageError(error)
        }
    }

    /// Opens the database file at `path` migrated only through the migration named
    /// `lastMigration` (such as "v1"), as an older release left it. For migration tests: the
    /// stores of later migrations fail on such a backend.
    static func open(path: String, migratedThrough lastMigration: String) throws -> SQLiteBackend {
        try SQLiteBackend(writer: openPool(path: path), migratedThrough: lastMigration)
    }

    /// Runs `sql`, statements without arguments, in one write transaction. For tests that
    /// prepare more rows than the stores' one-row writes could in a test's time, or rows as an
    /// older release stored them.
    func execute(sql: String) async throws {
        try await database.write { db in
            try db.execute(sql: sql)
        }
    }

    /// The integer in the first column of the first row `sql` returns, or nil when there is
    /// none. For tests that check how rows are stored.
    func integer(sql: String) async throws -> Int64? {
        try await database.read { db in try Int64.fetchOne(db, sql: sql) }
    }

    /// Which audit store the backend gets.
    private enum AuditMode {
        /// Appends commit to the table directly (in-memory databases, migration tests).
        case direct
        /// Appends go through the journal in this directory.
        case journaled(String, flushInterval: Duration)
        /// Appends are refused.
        case reader
    }

    private init(writer: any DatabaseWriter, migratedThrough lastMigration: String? = nil, audit auditMode: AuditMode = .direct) throws {
        do {
            if let lastMigration {
                try SQLiteSchema.migrator().migrate(writer, upTo: lastMigration)
            } else {
                try SQLiteSchema.migrator().migrate(writer)
            }
        } catch {
            throw SQLiteDatabase.storageError(error)
        }
        database = SQLiteDatabase(writer: writer)
        policies = SQLitePolicyStore(database: database)
        switch auditMode {
        case .direct:
            journaledAudit = nil
            audit = SQLiteAuditStore(database: database)
        case .journaled(let directory, let flushInterval):
            let journaled: SQLiteJournaledAuditStore
            do {
                journaled = try SQLiteJournaledAuditStore(database: database, journalDirectory: directory, flushInterval: flushInterval)
            } catch {
                try? writer.close()
                throw error
            }
            journaledAudit = journaled
            audit = journaled
        case .reader:
            journaledAudit = nil
            audit = SQLiteAuditReader(table: SQLiteAuditStore(database: database))
        }
        credentials = SQLiteCredentialStore(database: database)
        signingKeys = SQLiteSigningKeyStore(database: database)
        clients = CachingClientStore(SQLiteClientStore(database: database))
        replay = SQLiteReplayStore(database: database)
        registrations = SQLiteRegistrationStore(database: database)
        revocations = SQLiteRevocationStore(database: database)
        apiKeys = CachingAPIKeyStore(SQLiteAPIKeyStore(database: database))
        let secrets = CachingSecretStore(SQLiteSecretStore(database: database))
        self.secrets = secrets
        leases = SQLiteLeaseStore(database: database)
        transitKeys = SQLiteTransitKeyStore(database: database)
        rootKeys = CachingRootKeyStore(SQLiteRootKeyStore(database: database), secrets: secrets)
    }

    /// Runs a trivial query.
    public func ping() async throws {
        _ = try await database.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// Closes the connections; later calls throw `StorageError.unavailable`.
    public func close() async throws {
        await journaledAudit?.close()
        do {
            try database.writer.close()
        } catch {
            throw SQLiteDatabase.storageError(error)
        }
    }

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.label = "quartermaster"
        // Wait for another process's write lock rather than failing at once.
        configuration.busyMode = .timeout(10)
        return configuration
    }

    private static func openPool(path: String) throws -> DatabasePool {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StorageError.unavailable(
                "cannot create directory \(directory.path): \(error.localizedDescription)")
        }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration())
            // GRDB sets NORMAL when it enables WAL; see the type's documentation for why FULL.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            return pool
        } catch {
            let detail = (error as? DatabaseError)?.message ?? "\(error)"
            throw StorageError.unavailable("cannot open SQLite database \(path): \(detail)")
        }
    }
}
