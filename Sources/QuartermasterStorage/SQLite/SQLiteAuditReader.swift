/// `AuditStore` for a secondary opener of an SQLite file (`StorageRole.secondary`, such as
/// `quartermaster audit verify` beside a running server): it reads the records committed to
/// the table and refuses appends, since the end of the chain belongs to the process that
/// holds the audit journal.
struct SQLiteAuditReader: AuditStore {
    let table: SQLiteAuditStore

    func append(count: Int, _ seal: @Sendable (AuditChainHead, Int) throws -> AuditRecord) async throws -> [AuditRecord] {
        throw StorageError.unavailable("this database's audit log is open for reading only: the server that opened it appends to it")
    }

    func records(_ query: AuditQuery) async throws -> [AuditRecord] {
        try await table.records(query)
    }

    func head() async throws -> AuditChainHead {
        try await table.head()
    }
}
