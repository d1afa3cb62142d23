import Foundation
import QuartermasterStorage
import Testing

@Suite("ClientStore contract")
struct ClientStoreTests {
    @Test("insert, find and list by createdAt", arguments: BackendKind.available)
    func insertFindList(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.clients
            #expect(try await store.list().isEmpty)
            let late = oauthClient("worker", created: 300)
            let early = oauthClient("gateway", created: 100, secret: false)
            let tiedA = oauthClient("a-tied", created: 200)
            let tiedB = oauthClient("b-tied", created: 200)
            let bare = StoredClient(clientID: "bare", identity: "ci", createdAt: instant(400))
            for client in [late, tiedB, early, bare, tiedA] {
                try await store.insert(client)
            }
            #expect(try await store.find(clientID: "gateway") == early)
            #expect(try await store.find(clientID: "gateway")?.secretHash == nil)
            #expect(try await store.find(clientID: "gateway")?.jwks == early.jwks)
            #expect(try await store.find(clientID: "worker") == late)
            #expect(try await store.find(clientID: "bare") == bare)
            #expect(try await store.find(clientID: "missing") == nil)
            #expect(try await store.list() == [early, tiedA, tiedB, late, bare])
        }
    }

    @Test("revoke keeps the first time and reports missing clients", arguments: BackendKind.available)
    func revoke(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.clients
            try await store.insert(oauthClient("c1", created: 0))
            try await store.insert(oauthClient("c2", created: 1))
            let revokedAt = instant(500, micros: 250)
            #expect(try await store.revoke(clientID: "c1", at: revokedAt))
            #expect(try await store.find(clientID: "c1")?.revokedAt == revokedAt)
            #expect(try await store.revoke(clientID: "c1", at: instant(900)))
            #expect(try await store.find(clientID: "c1")?.revokedAt == revokedAt, "the first revocation time is kept")
            #expect(try await store.revoke(clientID: "missing", at: revokedAt) == false)
            #expect(try await store.find(clientID: "c2")?.revokedAt == nil)
            #expect(try await store.list().map(\.clientID) == ["c1", "c2"], "revoked clients are still listed")
        }
    }

    @Test("inserting an existing client id is a conflict and changes nothing", arguments: BackendKind.available)
    func duplicate(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.clients
            let original = oauthClient("dup", created: 0)
            try await store.insert(original)
            var intruder = oauthClient("dup", created: 5, secret: false)
            intruder.identity = "intruder"
            let error = await #expect(throws: StorageError.self) {
                try await store.insert(intruder)
            }
            #expect(error?.isConflict == true)
            #expect(try await store.list() == [original])
        }
    }
}
