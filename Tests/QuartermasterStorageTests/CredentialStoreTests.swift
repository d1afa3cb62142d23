import Foundation
import QuartermasterStorage
import Testing

@Suite("CredentialStore contract")
struct CredentialStoreTests {
    @Test("insert, find, count and revoke", arguments: BackendKind.available)
    func lifecycle(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.credentials
            let admin = credential(id: "qmat_1")
            let noExpiry = credential(id: "qmat_2", expires: false)
            let apiKey = credential(id: "qmak_1", kind: "api_key")
            for item in [admin, noExpiry, apiKey] {
                try await store.insert(item)
            }

            #expect(try await store.find(id: "qmat_1") == admin)
            #expect(try await store.find(id: "qmat_2") == noExpiry)
            #expect(try await store.find(id: "missing") == nil)
            #expect(try await store.count(kind: "admin_token") == 2)
            #expect(try await store.count(kind: "api_key") == 1)
            #expect(try await store.count(kind: "client_secret") == 0)

            let revokedAt = Date(timeIntervalSince1970: 1_700_000_100.5)
            #expect(try await store.revoke(id: "qmat_1", at: revokedAt))
            #expect(try await store.find(id: "qmat_1")?.revokedAt == revokedAt)
            #expect(try await store.revoke(id: "qmat_1", at: revokedAt.addingTimeInterval(60)))
            #expect(try await store.find(id: "qmat_1")?.revokedAt == revokedAt, "the first revocation time is kept")
            #expect(try await store.revoke(id: "missing", at: revokedAt) == false)
            #expect(try await store.count(kind: "admin_token") == 2, "revoked credentials still count")
            #expect(try await store.find(id: "qmat_2")?.revokedAt == nil)
        }
    }

    @Test("inserting an existing id is a conflict and changes nothing", arguments: BackendKind.available)
    func duplicateID(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.credentials
            let original = credential(id: "qmat_dup")
            try await store.insert(original)
            var duplicate = credential(id: "qmat_dup", kind: "api_key")
            duplicate.identity = "intruder"
            let error = await #expect(throws: StorageError.self) {
                try await store.insert(duplicate)
            }
            #expect(error?.isConflict == true)
            #expect(try await store.find(id: "qmat_dup") == original)
            #expect(try await store.count(kind: "api_key") == 0)
        }
    }
}
