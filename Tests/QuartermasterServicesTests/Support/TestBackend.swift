import Foundation
import GRDB
import Logging
import PostgresNIO
import QuartermasterStorage
import Testing

/// The storage backends a service test runs against: SQLite always, PostgreSQL when
/// `QUARTERMASTER_TEST_POSTGRES_URL` points at a server (as `scripts/test` arranges).
enum BackendKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static var postgresURL: String? { ProcessInfo.processInfo.environment["QUARTERMASTER_TEST_POSTGRES_URL"] }

    /// SQLite, plus PostgreSQL when a server is available.
    static var available: [BackendKind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
}

/// A fresh, empty backend plus raw SQL access to its tables, for tampering in tests.
struct TestBackend: Sendable {
    let backend: any StorageBackend
    let execute: @Sendable (String) async throws -> Void
    let cleanup: @Sendable () async throws -> Void

    static func make(_ kind: BackendKind) async throws -> TestBackend {
        let logger = Logger(label: "test")
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qm-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("test.db").path
            let backend = try await Storage.open(url: "sqlite:" + path, logger: logger)
            return TestBackend(
                backend: backend,
                execute: { sql in
                    let queue = try DatabaseQueue(path: path)
                    try await queue.write { try $0.execute(sql: sql) }
                    try queue.close()
                },
                cleanup: {
                    try await backend.close()
                    try? FileManager.default.removeItem(at: directory)
                }
            )
        case .postgres:
            let adminURL = try #require(BackendKind.postgresURL)
            let database = "qm_svc_\(UUID().uuidString.prefix(8).lowercased())"
            try await RawPostgres.run(url: adminURL, sql: "CREATE DATABASE \(database)")
            let url = RawPostgres.url(adminURL, database: database)
            let backend = try await Storage.open(url: url, logger: logger)
            return TestBackend(
                backend: backend,
                execute: { sql in try await RawPostgres.run(url: url, sql: sql) },
                cleanup: {
                    try await backend.close()
                    try await RawPostgres.run(url: adminURL, sql: "DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
                }
            )
        }
    }
}

/// Runs one SQL statement on a PostgreSQL URL with a short-lived client.
enum RawPostgres {
    static func url(_ url: String, database: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + database
        return components.string!
    }

    static func run(url: String, sql: String) async throws {
        let components = try #require(URLComponents(string: url))
        let configuration = PostgresClient.Configuration(
            host: components.host ?? "127.0.0.1",
            port: components.port ?? 5432,
            username: components.user ?? "postgres",
            password: components.password,
            database: String(components.path.dropFirst()).isEmpty ? "postgres" : String(components.path.dropFirst()),
            tls: .disable
        )
        let client = PostgresClient(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
            group.cancelAll()
        }
    }
}

