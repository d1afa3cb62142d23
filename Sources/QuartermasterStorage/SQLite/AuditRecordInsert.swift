import GRDB
import GRDBSQLite

/// The `INSERT` of one audit record into `audit_records`, bound and stepped with SQLite's C
/// API on GRDB's prepared statement.
///
/// Why not `Statement.execute(arguments:)`: the audit flush inserts every record the server
/// writes, and GRDB's generic argument handling (boxing twelve values, converting each to a
/// `DatabaseValue`, nesting a closure per string) cost the flush thread 3-4 µs of its 20-22
/// µs per record (docs/PERFORMANCE.md, sixth pass). Binding the record's own fields directly
/// is the same statement with the same values. Use it only inside a GRDB write on the
/// database's queue.
struct AuditRecordInsert {
    private static let sql = "INSERT INTO audit_records (\(SQLiteAuditStore.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    /// SQLite copies a value bound with this destructor, so the Swift string may go away.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private let db: Database
    private let statement: Statement

    /// Prepares (or takes from `db`'s cache) the statement.
    init(_ db: Database) throws {
        self.db = db
        self.statement = try db.cachedStatement(sql: Self.sql)
    }

    /// Inserts `record` as it is (its time at storage precision). The statement is reset and
    /// its bindings cleared afterwards, whether or not the insert succeeded.
    ///
    /// - Throws: `DatabaseError` with SQLite's code and message, for example a constraint
    ///   violation when the sequence is already stored.
    func execute(_ record: AuditRecord) throws {
        let handle = statement.sqliteStatement
        sqlite3_bind_int64(handle, 1, record.sequence)
        sqlite3_bind_int64(handle, 2, record.time.storageMicroseconds)
        let texts = [
            record.requestID, record.subject, record.action, record.resource, record.decision,
            record.reason, record.source, record.detailsJSON, record.previousHash, record.hash,
        ]
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for (offset, text) in texts.enumerated() {
            let code = text.withCString { sqlite3_bind_text(handle, CInt(3 + offset), $0, CInt(text.utf8.count), Self.transient) }
            guard code == SQLITE_OK else { throw lastError() }
        }
        guard sqlite3_step(handle) == SQLITE_DONE else { throw lastError() }
    }

    /// The connection's last error, read before the statement is reset.
    private func lastError() -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(db.sqliteConnection)), message: db.lastErrorMessage, sql: Self.sql)
    }
}
