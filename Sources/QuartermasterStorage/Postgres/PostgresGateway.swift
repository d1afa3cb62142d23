import Logging
import PostgresNIO

/// The connection pool the PostgreSQL stores share: runs queries and transactions and
/// reports failures as `StorageError` (see `PostgresSettings.storageError`).
struct PostgresGateway: Sendable {
    let client: PostgresClient
    let settings: PostgresSettings
    let logger: Logger

    /// Runs `body` with the pool; every failure is a storage failure.
    func run<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        do {
            return try await body(client)
        } catch {
            throw settings.storageError(error)
        }
    }

    /// Runs `body` in one transaction on one pooled connection: committed when `body`
    /// returns, rolled back when it throws. Errors `body` throws that do not come from
    /// PostgreSQL (such as an audit `seal`'s) reach the caller unchanged.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await body(connection)
            }
        } catch let error as PostgresTransactionError {
            throw settings.storageError(error, passUnknown: true)
        } catch {
            throw settings.storageError(error)
        }
    }
}
