import Foundation
@testable import QuartermasterStorage
import Testing

/// Migration 3 (secrets) on top of databases created by migration 2.
@Suite("Schema version 3")
struct SchemaVersion3Tests {
    @Test("a database created at version 2 opens, gains version 3 and keeps its data", arguments: BackendKind.available)
    func upgradeFromVersion2(kind: BackendKind) async throws {
        let database = try await TestDatabase.make(kind)
        do {
            let old = try await database.openAtVersion2()
            let record = try seal()(.genesis)
            try await database.insertAuditRecordBeforeVersion6(record, on: old)
            try await database.insertSigningKeyBeforeVersion4(signingKey(kid: "k1", signsFrom: 0), on: old)
            try await old.apiKeys.insert(apiKey("qmak_1"))
            let missingTable = await #expect(throws: StorageError.self) {
                _ = try await old.secrets.read(path: "p", version: nil)
            }
            #expect(missingTable?.isUnavailable == true, "the seam really stops at version 2")
            try await old.close()

            let upgraded = try await database.open()
            #expect(try await upgraded.audit.records(AuditQuery()) == [record])
            #expect(try await upgraded.signingKeys.all() == [signingKey(kid: "k1", signsFrom: 0)])
            #expect(try await upgraded.apiKeys.find(id: "qmak_1") == apiKey("qmak_1"))
            let written = try await upgraded.secrets.write(
                path: "app/db", cas: 0, maxVersions: 5, customMetadata: nil, now: instant(1), sealSecret("app/db"))
            try await upgraded.close()

            let reopened = try await database.open()
            #expect(try await reopened.secrets.read(path: "app/db", version: nil) == written)
            #expect(try await reopened.signingKeys.all() == [signingKey(kid: "k1", signsFrom: 0)])
            try await reopened.close()
        } catch {
            try? await database.destroy()
            throw error
        }
        try await database.destroy()
    }

    @Test("an in-memory SQLite backend has the version 3 tables")
    func inMemory() async throws {
        let backend = try SQLiteBackend.inMemory()
        #expect(try await backend.secrets.write(
            path: "p", cas: 0, maxVersions: 1, customMetadata: nil, now: instant(0), sealSecret("p")).version == 1)
        #expect(try await backend.secrets.list(prefix: "") == ["p"])
        try await backend.close()
    }
}

extension TestDatabase {
    /// Opens the database migrated only through version 2, as the second release left it.
    func openAtVersion2() async throws -> any StorageBackend {
        switch kind {
        case .sqlite:
            try SQLiteBackend.open(path: String(url.dropFirst("sqlite:".count)), migratedThrough: "v2")
        case .postgres:
            try await PostgresBackend.connect(url: url, logger: Self.logger, migratedThrough: 2)
        }
    }
}
