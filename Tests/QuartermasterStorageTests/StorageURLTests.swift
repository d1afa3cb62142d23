import Foundation
import QuartermasterStorage
import Testing

@Suite("Storage.open URLs")
struct StorageURLTests {
    @Test("sqlite:PATH, sqlite://PATH and a plain path open SQLite, creating parent directories")
    func sqliteForms() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("quartermaster-storage-url-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, form) in ["sqlite:", "sqlite://", ""].enumerated() {
            let path = directory.appendingPathComponent("\(index)/deeper/q.sqlite").path
            let backend = try await Storage.open(url: form + path, logger: TestDatabase.logger)
            #expect(backend is SQLiteBackend)
            try await backend.ping()
            try await backend.close()
            #expect(FileManager.default.fileExists(atPath: path))
        }
    }

    @Test("an in-memory SQLite backend has the full schema")
    func inMemory() async throws {
        let backend = try SQLiteBackend.inMemory()
        #expect(try await backend.audit.head() == .genesis)
        #expect(try await backend.policies.append(
            document: "", sourceName: "p", digest: "d", createdBy: "a", comment: "").version == 1)
        try await backend.close()
    }

    @Test(
        "unsupported or malformed URLs are invalidURL, without the password",
        arguments: [
            "", "sqlite:", "sqlite://", "mysql://root:Sup3rS3cret@db/quartermaster", "http://example.org/db",
            "postgres:///quartermaster", "postgres://127.0.0.1/quartermaster",
            "postgres://qm:Sup3rS3cret@127.0.0.1/quartermaster?sslmode=bogus",
            "postgresql://qm:Sup3rS3cret@127.0.0.1:99999/quartermaster",
        ])
    func invalid(url: String) async throws {
        let error = await #expect(throws: StorageError.self) {
            _ = try await Storage.open(url: url, logger: TestDatabase.logger)
        }
        #expect(error?.isInvalidURL == true)
        #expect(error.map { !"\($0)".contains("Sup3rS3cret") } ?? true)
    }

    @Test("an unreachable PostgreSQL server is unavailable, and the error hides the password")
    func unreachablePostgres() async throws {
        // Nothing listens on port 1, so the connection is refused at once.
        let url = "postgres://qm:Sup3rS3cret@127.0.0.1:1/quartermaster?sslmode=disable"
        let error = await #expect(throws: StorageError.self) {
            _ = try await Storage.open(url: url, logger: TestDatabase.logger)
        }
        #expect(error?.isUnavailable == true)
        let message = try #require(error).description
        #expect(!message.contains("Sup3rS3cret"))
        #expect(message.contains("127.0.0.1:1"))
    }

    @Test(
        "a PostgreSQL server that refuses the database is unavailable, and the error hides the password",
        .enabled(if: BackendKind.postgresAdminURL != nil, BackendKind.postgresSkipReason))
    func missingPostgresDatabase() async throws {
        let adminURL = try #require(BackendKind.postgresAdminURL)
        var components = try #require(URLComponents(string: adminURL))
        components.password = "Sup3rS3cret"
        components.path = "/qm_no_such_database"
        let error = await #expect(throws: StorageError.self) {
            _ = try await Storage.open(url: components.string!, logger: TestDatabase.logger)
        }
        #expect(error?.isUnavailable == true)
        #expect(!(error?.description.contains("Sup3rS3cret") ?? true))
    }
}
