import Foundation
import QuartermasterStorage
import Testing

@Suite("StorageBackend lifecycle")
struct BackendLifecycleTests {
    @Test("ping succeeds on an open backend", arguments: BackendKind.available)
    func ping(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            try await backend.ping()
        }
    }

    @Test("a closed backend reports unavailable", arguments: BackendKind.available)
    func closed(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            try await backend.close()
            let error = await #expect(throws: StorageError.self) {
                _ = try await backend.policies.latest()
            }
            #expect(error?.isUnavailable == true)
        }
    }

    @Test("data survives close and reopen", arguments: BackendKind.available)
    func reopen(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, database in
            let policy = try await backend.policies.append(
                document: "a: 1\n", sourceName: "policy.yaml", digest: "d", createdBy: "admin", comment: "first")
            let record = try await backend.audit.append(seal())
            try await backend.credentials.insert(credential(id: "qmat_keep"))
            try await backend.close()

            let reopened = try await database.open()
            #expect(try await reopened.policies.latest() == policy)
            #expect(try await reopened.audit.records(AuditQuery()) == [record])
            #expect(try await reopened.audit.head() == AuditChainHead(sequence: 1, hash: record.hash))
            #expect(try await reopened.credentials.find(id: "qmat_keep") == credential(id: "qmat_keep"))
            #expect(try await reopened.audit.append(seal()).sequence == 2)
            try await reopened.close()
        }
    }

    @Test("opening a migrated database again migrates nothing and loses nothing", arguments: BackendKind.available)
    func migrationsIdempotent(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, database in
            let record = try await backend.audit.append(seal())
            async let second = database.open(role: .secondary)
            async let third = database.open(role: .secondary)
            let others = try await [second, third]
            for other in others {
                #expect(try await other.audit.head() == AuditChainHead(sequence: 1, hash: record.hash))
                try await other.close()
            }
        }
    }

    @Test(
        "replicas starting at once on an empty PostgreSQL database migrate it once",
        .enabled(if: BackendKind.postgresAdminURL != nil, BackendKind.postgresSkipReason))
    func concurrentPostgresMigrations() async throws {
        let database = try await TestDatabase.make(.postgres)
        do {
            let backends = try await withThrowingTaskGroup(of: (any StorageBackend).self) { group in
                for _ in 0..<4 {
                    group.addTask { try await database.open() }
                }
                return try await group.reduce(into: [any StorageBackend]()) { $0.append($1) }
            }
            #expect(try await backends[0].audit.head() == .genesis)
            let record = try await backends[1].audit.append(seal())
            #expect(try await backends[2].audit.records(AuditQuery()) == [record])
            for backend in backends {
                try await backend.close()
            }
        } catch {
            try? await database.destroy()
            throw error
        }
        try await database.destroy()
    }
}
