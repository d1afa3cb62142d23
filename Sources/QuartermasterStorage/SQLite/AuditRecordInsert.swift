import GRDB
import GRDBSQLite

/// The `INSERT` of audit records into `audit_records`, bound and stepped with SQLite's C API
/// on GRDB's prepared statements, for the records of one write transaction.
///
/// Why not `Statement.execute(arguments:)`: the audit flush inserts every record the server
/// writes, and GRDB's generic argument handling (boxing twelve values, converting each to a
/// `DatabaseValue`, nesting a closure per string) cost the flush thread 3-4 µs of its 20-22
/// µs per record (docs/PERFORMANCE.md, sixth pass). Binding the record's own fields directly
/// is the same statement with the same values. Use it only inside a GRDB write on the
/// database's queue, and for one transaction only.
///
/// A reason or details text that `audit_texts` holds, or that an earlier record carried
/// (`AuditTextSightings`), is stored there once and the row refers to it (`reason_text`,
/// `details_text`), leaving its own column empty: the bytes a row puts on disk set the read
/// path's tail latency (docs/PERFORMANCE.md, eighth pass). A text seen for the first time
/// stays in the row.
struct AuditRecordInsert {
    private static let sql = "INSERT INTO audit_records (\(SQLiteAuditStore.insertColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    private static let findText = "SELECT id FROM audit_texts WHERE text = ?"
    private static let addText = "INSERT INTO audit_texts (text) VALUES (?)"
    /// Texts shorter than this stay in the row: a reference would save too little.
    private static let shortestSharedText = 32
    /// SQLite copies a value bound with this destructor, so the Swift string may go away.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private let db: Database
    private let statement: Statement
    private let findStatement: Statement
    private let addStatement: Statement
    private let sightings: AuditTextSightings
    /// Ids of texts in `audit_texts`, as this transaction found or added them: only this
    /// transaction may use them, since it may roll back.
    private var sharedTexts: [String: Int64] = [:]

    /// Prepares (or takes from `db`'s cache) the statements.
    init(_ db: Database, sightings: AuditTextSightings) throws {
        self.db = db
        self.sightings = sightings
        self.statement = try db.cachedStatement(sql: Self.sql)
        self.findStatement = try db.cachedStatement(sql: Self.findText)
        self.addStatement = try db.cachedStatement(sql: Self.addText)
    }

    /// Inserts `record` as it is (its time at storage precision). The statements are reset
    /// and their bindings cleared afterwards, whether or not the insert succeeded.
    ///
    /// - Throws: `DatabaseError` with SQLite's code and message, for example a constraint
    ///   violation when the sequence is already stored.
    mutating func execute(_ record: AuditRecord) throws {
        let reasonText = try sharedTextID(record.reason)
        let details = record.detailsJSON
        let detailsText = try sharedTextID(details)
        let handle = statement.sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        sqlite3_bind_int64(handle, 1, record.sequence)
        sqlite3_bind_int64(handle, 2, record.time.storageMicroseconds)
        let texts = [
            record.requestID, record.subject, record.action, record.resource, record.decision,
            reasonText == nil ? record.reason : "", record.source, detailsText == nil ? details : "",
            record.previousHash, record.hash,
        ]
        for (offset, text) in texts.enumerated() {
            try bind(text, at: CInt(3 + offset), in: handle, sql: Self.sql)
        }
        bind(reasonText, at: 13, in: handle)
        bind(detailsText, at: 14, in: handle)
        guard sqlite3_step(handle) == SQLITE_DONE else { throw lastError(Self.sql) }
    }

    /// The id `text` has or gets in `audit_texts`, or nil when it stays in the row: it is
    /// short, or seen for the first time.
    private mutating func sharedTextID(_ text: String) throws -> Int64? {
        guard text.utf8.count >= Self.shortestSharedText else { return nil }
        if let id = sharedTexts[text] { return id }
        if let id = try storedTextID(text) {
            sharedTexts[text] = id
            return id
        }
        guard sightings.sight(text) else { return nil }
        let id = try addText(text)
        sharedTexts[text] = id
        return id
    }

    /// The id `audit_texts` holds `text` under, if any.
    private func storedTextID(_ text: String) throws -> Int64? {
        try run(findStatement, Self.findText, text: text) { handle, code in
            code == SQLITE_ROW ? sqlite3_column_int64(handle, 0) : nil
        }
    }

    /// Adds `text` to `audit_texts` and returns its id.
    private func addText(_ text: String) throws -> Int64 {
        try run(addStatement, Self.addText, text: text) { _, _ in sqlite3_last_insert_rowid(db.sqliteConnection) }
    }

    /// Binds `text` as `statement`'s one argument, steps it once and returns `result` of the
    /// step, resetting the statement afterwards.
    ///
    /// - Throws: `DatabaseError` when binding fails or the step neither returns a row nor
    ///   finishes.
    private func run<T>(_ statement: Statement, _ sql: String, text: String, result: (OpaquePointer, CInt) -> T) throws -> T {
        let handle = statement.sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        try bind(text, at: 1, in: handle, sql: sql)
        let code = sqlite3_step(handle)
        guard code == SQLITE_ROW || code == SQLITE_DONE else { throw lastError(sql) }
        return result(handle, code)
    }

    /// Binds a text's id in `audit_texts`, or NULL when the row holds the text itself.
    private func bind(_ id: Int64?, at index: CInt, in handle: OpaquePointer) {
        if let id { sqlite3_bind_int64(handle, index, id) } else { sqlite3_bind_null(handle, index) }
    }

    private func bind(_ text: String, at index: CInt, in handle: OpaquePointer, sql: String) throws {
        let code = text.withCString { sqlite3_bind_text(handle, index, $0, CInt(text.utf8.count), Self.transient) }
        guard code == SQLITE_OK else { throw lastError(sql) }
    }

    /// The connection's last error, read before the statement is reset.
    private func lastError(_ sql: String) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: sqlite3_extended_errcode(db.sqliteConnection)), message: db.lastErrorMessage, sql: sql)
    }
}
