import PostgresNIO

/// How PostgresNIO errors become `StorageError`, with messages that name the server by
/// `location` and never contain the password.
extension PostgresSettings {
    /// `error` as a `StorageError`.
    ///
    /// Unique violations become `conflict`; other PostgresNIO errors `unavailable`.
    /// `StorageError` and `CancellationError` pass through. Any other error passes through
    /// unchanged when `passUnknown` is true (an error thrown by a caller's closure such as an
    /// audit `seal`), and becomes `unavailable` otherwise (the connection pool's own errors).
    func storageError(_ error: any Error, passUnknown: Bool = false) -> any Error {
        switch error {
        case is StorageError, is CancellationError:
            return error
        case let error as PostgresTransactionError:
            if let closureError = error.closureError {
                return storageError(closureError, passUnknown: passUnknown)
            }
            guard let cause = error.beginError ?? error.commitError ?? error.rollbackError else {
                return StorageError.unavailable("PostgreSQL at \(location): the transaction failed")
            }
            return storageError(cause)
        case let error as PSQLError:
            return storageError(error)
        case let error as PostgresDecodingError:
            return StorageError.unavailable(
                "unexpected \(error.postgresType) value in column \(error.columnName) from PostgreSQL at \(location)")
        default:
            if passUnknown { return error }
            return StorageError.unavailable(redacting("PostgreSQL at \(location): \(error)"))
        }
    }

    private func storageError(_ error: PSQLError) -> StorageError {
        guard error.code == .server else {
            var detail = "\(error.code)"
            if let underlying = error.underlying {
                detail += " (\(underlying))"
            }
            return .unavailable(redacting("cannot use PostgreSQL at \(location): \(detail)"))
        }
        let state = error.serverInfo?[.sqlState] ?? "?????"
        let message = redacting(error.serverInfo?[.message] ?? "server error")
        if state == "23505" {
            return .conflict(message)
        }
        return .unavailable("PostgreSQL at \(location) reported \(state): \(message)")
    }
}
