import GRDB

/// The GRDB connection the SQLite stores share. Runs database accesses and reports GRDB
/// errors as `StorageError`; any other error (such as one thrown by an audit `seal`) passes
/// through unchanged.
struct SQLiteDatabase: Sendable {
    let writer: any DatabaseWriter

    /// Runs `value` in a read-only transaction.
    func read<T: Sendable>(_ value: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(value)
        } catch {
            throw Self.storageError(error)
        }
    }

    /// Runs `updates` in one write transaction, serialized with every other write.
    func write<T: Sendable>(_ updates: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.write(updates)
        } catch {
            throw Self.storageError(error)
        }
    }

    /// Runs `updates` in one write transaction on the calling thread, which it blocks until
    /// the commit is durable. Never call it from an event loop or a concurrency pool thread.
    func writeBlocking<T>(_ updates: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(updates)
        } catch {
            throw Self.storageError(error)
        }
    }

    /// `error` as a `StorageError` when it comes from SQLite.
    static func storageError(_ error: any Error) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        let message = error.message ?? "SQLite error \(error.extendedResultCode.rawValue)"
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_PRIMARYKEY, .SQLITE_CONSTRAINT_UNIQUE:
            return StorageError.conflict(message)
        default:
            return StorageError.unavailable("SQLite: \(message)")
        }
    }
}
