import Foundation
import Logging
import PostgresNIO
import Testing

/// Runs administrative statements (CREATE/DROP DATABASE) on the test server's admin database.
struct PostgresAdmin {
    let url: String

    /// Executes one statement built by the tests themselves (identifiers cannot be bound).
    func execute(_ sql: String) async throws {
        let components = try #require(URLComponents(string: url))
        let configuration = PostgresConnection.Configuration(
            host: components.host ?? "127.0.0.1", port: components.port ?? 5432,
            username: components.user ?? "postgres", password: components.password,
            database: String(components.path.dropFirst()), tls: .disable)
        let connection = try await PostgresConnection.connect(
            configuration: configuration, id: 1, logger: TestDatabase.logger)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestDatabase.logger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }
}
