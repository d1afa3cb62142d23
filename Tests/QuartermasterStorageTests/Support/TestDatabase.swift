import Foundation
import Logging
import PostgresNIO
import QuartermasterStorage
import Testing

/// A fresh, empty database of one kind for one test, which the test may open several times.
///
/// SQLite: a file in a new temporary directory. PostgreSQL: a uniquely named database
/// created through the admin URL and dropped by `destroy()`.
struct TestDatabase: Sendable {
    let kind: BackendKind
    /// The storage URL to pass to `Storage.open`.
    let url: String
    private let cleanup: @Sendable () async throws -> Void

    static let logger = Logger(label: "quartermaster.storage.tests")

    /// Runs `body` with a backend opened on a fresh database, then closes and destroys it.
    static func withBackend(
        _ kind: BackendKind,
        _ body: (any StorageBackend, TestDatabase) async throws -> Void
    ) async throws {
        let database = try await make(kind)
        do {
            let backend = try await database.open()
            do {
                try await body(backend, database)
            } catch {
                try? await backend.close()
                throw error
            }
            try await backend.close()
        } catch {
            try? await database.destroy()
            throw error
        }
        try await database.destroy()
    }

    /// Creates an empty database of `kind` without opening it.
    static func make(_ kind: BackendKind) async throws -> TestDatabase {
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("quartermaster-storage-tests-\(UUID().uuidString)")
            let path = directory.appendingPathComponent("nested/quartermaster.sqlite").path
            return TestDatabase(kind: kind, url: "sqlite:\(path)") {
                try FileManager.default.removeItem(at: directory)
            }
        case .postgres:
            let adminURL = try #require(BackendKind.postgresAdminURL, BackendKind.postgresSkipReason)
            let name = "qm_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            try await PostgresAdmin(url: adminURL).execute("CREATE DATABASE \(name)")
            var components = URLComponents(string: adminURL)!
            components.path = "/\(name)"
            return TestDatabase(kind: kind, url: components.string!) {
                try await PostgresAdmin(url: adminURL).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            }
        }
    }

    /// Opens (and migrates) the database through the public entry point; a second opener
    /// while another backend is open passes `.secondary`.
    func open(role: StorageRole = .server) async throws -> any StorageBackend {
        try await Storage.open(url: url, logger: Self.logger, role: role)
    }

    /// Deletes the database.
    func destroy() async throws {
        try await cleanup()
    }
}
