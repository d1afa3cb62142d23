import Foundation
@testable import QuartermasterStorage
import Testing

/// Migration 4 (leases, transit keys, root keys, the signing keys' root key id) on top of
/// databases created by migration 3.
@Suite("Schema version 4")
struct SchemaVersion4Tests {
    @Test("a database created at version 3 opens, gains version 4 and keeps its data", arguments: BackendKind.available)
    func upgradeFromVersion3(kind: BackendKind) async throws {
        let database = try await TestDatabase.make(kind)
        do {
            let old = try await database.openAtVersion3()
            let record = try seal()(.genesis)
            try await database.insertAuditRecordBeforeVersion6(record, on: old)
            let written = try await old.secrets.write(
                path: "app/db", cas: 0, maxVersions: 5, customMetadata: nil, now: instant(1), sealSecret("app/db"))
            try await database.insertSigningKeyBeforeVersion4(signingKey(kid: "k1", signsFrom: 0), on: old)
            let missingTable = await #expect(throws: StorageError.self) {
                _ = try await old.leases.countLive(now: instant(0))
            }
            #expect(missingTable?.isUnavailable == true, "the seam really stops at version 3")
            try await old.close()

            let upgraded = try await database.open()
            #expect(try await upgraded.audit.records(AuditQuery()) == [record])
            #expect(try await upgraded.secrets.read(path: "app/db", version: nil) == written)
            let keys = try await upgraded.signingKeys.all()
            #expect(keys == [signingKey(kid: "k1", signsFrom: 0)])
            #expect(keys.first?.rootKeyID == "root-1", "signing keys from before version 4 are sealed under root-1")
            #expect(try await upgraded.rootKeys.usage() == ["root-1": 2])
            try await writeOneOfEach(upgraded)
            try await upgraded.close()

            let reopened = try await database.open()
            try await expectOneOfEach(reopened)
            #expect(try await reopened.signingKeys.all() == [signingKey(kid: "k1", signsFrom: 0)])
            try await reopened.close()
        } catch {
            try? await database.destroy()
            throw error
        }
        try await database.destroy()
    }

    @Test("every new store of a closed backend reports unavailable", arguments: BackendKind.available)
    func closed(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            try await backend.close()
            let attempts: [@Sendable () async throws -> Void] = [
                { _ = try await backend.leases.lease(id: "token/t/1") },
                { _ = try await backend.transitKeys.names() },
                { _ = try await backend.rootKeys.all() },
            ]
            for attempt in attempts {
                let error = await #expect(throws: StorageError.self) {
                    try await attempt()
                }
                #expect(error?.isUnavailable == true)
            }
        }
    }

    @Test("an in-memory SQLite backend has the version 4 tables")
    func inMemory() async throws {
        let backend = try SQLiteBackend.inMemory()
        try await writeOneOfEach(backend)
        try await expectOneOfEach(backend)
        try await backend.close()
    }
}

/// Writes one record to each version 4 store (see `expectOneOfEach`).
private func writeOneOfEach(_ backend: any StorageBackend) async throws {
    try await backend.leases.insert(lease("token/t1/a"))
    try await backend.transitKeys.create(transitKey("tk"))
    try await backend.rootKeys.insert(rootKey("root-1", created: 0))
}

/// Checks what `writeOneOfEach` wrote.
private func expectOneOfEach(_ backend: any StorageBackend) async throws {
    #expect(try await backend.leases.lease(id: "token/t1/a") == lease("token/t1/a"))
    #expect(try await backend.transitKeys.key(name: "tk") == transitKey("tk"))
    #expect(try await backend.rootKeys.all() == [rootKey("root-1", created: 0)])
}

extension TestDatabase {
    /// Opens the database migrated only through version 3, as the third release left it.
    func openAtVersion3() async throws -> any StorageBackend {
        switch kind {
        case .sqlite:
            try SQLiteBackend.open(path: String(url.dropFirst("sqlite:".count)), migratedThrough: "v3")
        case .postgres:
            try await PostgresBackend.connect(url: url, logger: Self.logger, migratedThrough: 3)
        }
    }
}
