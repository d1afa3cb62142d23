import Foundation
@testable import QuartermasterStorage
import Testing

/// Migration 2 (signing keys, clients, replay guard, registrations, revocations, API keys)
/// on top of databases created by migration 1, and the new stores' lifecycle.
@Suite("Schema version 2")
struct SchemaVersion2Tests {
    @Test("a database created at version 1 opens, gains version 2 and keeps its data", arguments: BackendKind.available)
    func upgradeFromVersion1(kind: BackendKind) async throws {
        let database = try await TestDatabase.make(kind)
        do {
            let old = try await database.openAtVersion1()
            let policy = try await old.policies.append(
                document: "a: 1\n", sourceName: "policy.yaml", digest: "d", createdBy: "admin", comment: "v1")
            let record = try seal()(.genesis)
            try await database.insertAuditRecordBeforeVersion6(record, on: old)
            try await old.credentials.insert(credential(id: "qmat_v1"))
            let missingTable = await #expect(throws: StorageError.self) {
                _ = try await old.signingKeys.all()
            }
            #expect(missingTable?.isUnavailable == true, "the seam really stops at version 1")
            try await old.close()

            let upgraded = try await database.open()
            #expect(try await upgraded.policies.latest() == policy)
            #expect(try await upgraded.audit.records(AuditQuery()) == [record])
            #expect(try await upgraded.credentials.find(id: "qmat_v1") == credential(id: "qmat_v1"))
            #expect(try await upgraded.audit.append(seal()).sequence == 2)
            try await writeOneOfEach(upgraded)
            try await expectOneOfEach(upgraded)
            try await upgraded.close()

            let reopened = try await database.open()
            #expect(try await reopened.audit.head().sequence == 2)
            try await expectOneOfEach(reopened)
            try await reopened.close()
        } catch {
            try? await database.destroy()
            throw error
        }
        try await database.destroy()
    }

    @Test("version 2 data survives close and reopen", arguments: BackendKind.available)
    func reopen(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, database in
            try await writeOneOfEach(backend)
            try await backend.close()
            let reopened = try await database.open()
            try await expectOneOfEach(reopened)
            try await reopened.close()
        }
    }

    @Test("every new store of a closed backend reports unavailable", arguments: BackendKind.available)
    func closed(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            try await backend.close()
            let attempts: [@Sendable () async throws -> Void] = [
                { _ = try await backend.signingKeys.all() },
                { _ = try await backend.clients.list() },
                { _ = try await backend.replay.use("jti", expiresAt: instant(60), now: instant(0)) },
                { _ = try await backend.registrations.list(service: nil, limit: 1) },
                { _ = try await backend.revocations.isRevoked(jti: "jti") },
                { _ = try await backend.apiKeys.find(id: "k") },
            ]
            for attempt in attempts {
                let error = await #expect(throws: StorageError.self) {
                    try await attempt()
                }
                #expect(error?.isUnavailable == true)
            }
        }
    }

    @Test("an in-memory SQLite backend has the version 2 tables")
    func inMemory() async throws {
        let backend = try SQLiteBackend.inMemory()
        #expect(try await backend.signingKeys.all().isEmpty)
        #expect(try await backend.replay.use("jti", expiresAt: instant(60), now: instant(0)))
        try await backend.close()
    }
}

/// Writes one record to each version 2 store (see `expectOneOfEach`).
private func writeOneOfEach(_ backend: any StorageBackend) async throws {
    try await backend.signingKeys.insert(signingKey(kid: "k1", signsFrom: 0))
    try await backend.clients.insert(oauthClient("c1", created: 0))
    #expect(try await backend.replay.use("jti-1", expiresAt: instant(60), now: instant(0)))
    try await backend.registrations.upsert(registration("i1", service: "gateway", at: 0))
    try await backend.revocations.revoke(revocation("t1", revoked: 0, expires: 60))
    try await backend.apiKeys.insert(apiKey("qmak_1"))
}

/// Checks what `writeOneOfEach` wrote.
private func expectOneOfEach(_ backend: any StorageBackend) async throws {
    #expect(try await backend.signingKeys.all() == [signingKey(kid: "k1", signsFrom: 0)])
    #expect(try await backend.clients.list() == [oauthClient("c1", created: 0)])
    #expect(try await backend.replay.use("jti-1", expiresAt: instant(60), now: instant(1)) == false)
    #expect(try await backend.registrations.list(service: nil, limit: 10) == [registration("i1", service: "gateway", at: 0)])
    #expect(try await backend.revocations.list(since: nil, limit: 10) == [revocation("t1", revoked: 0, expires: 60)])
    #expect(try await backend.apiKeys.find(id: "qmak_1") == apiKey("qmak_1"))
}

extension TestDatabase {
    /// Opens the database migrated only through version 1, as the first release left it.
    func openAtVersion1() async throws -> any StorageBackend {
        switch kind {
        case .sqlite:
            try SQLiteBackend.open(path: String(url.dropFirst("sqlite:".count)), migratedThrough: "v1")
        case .postgres:
            try await PostgresBackend.connect(url: url, logger: Self.logger, migratedThrough: 1)
        }
    }
}
