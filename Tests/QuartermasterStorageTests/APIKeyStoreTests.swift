import Foundation
import QuartermasterStorage
import Testing

@Suite("APIKeyStore contract")
struct APIKeyStoreTests {
    @Test("insert and find round-trip every field", arguments: BackendKind.available)
    func roundTrip(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.apiKeys
            let minimal = apiKey("qmak_min", roles: [])
            let full = StoredAPIKey(
                id: "qmak_full", identity: "spiffe://x/ü", name: "deploy \"bot\" ✓",
                roles: ["deployer", "reader/ünïcödé", "quote\"and\\slash"], secretHMAC: String(repeating: "c", count: 64),
                createdAt: instant(1, micros: 1), expiresAt: instant(2, micros: 2), revokedAt: instant(3, micros: 3),
                lastUsedAt: instant(4, micros: 4), replacedBy: "qmak_next", graceUntil: instant(5, micros: 5))
            try await store.insert(minimal)
            try await store.insert(full)
            #expect(try await store.find(id: "qmak_min") == minimal)
            #expect(try await store.find(id: "qmak_min")?.roles == [])
            #expect(try await store.find(id: "qmak_full") == full)
            #expect(try await store.find(id: "missing") == nil)
        }
    }

    @Test("list by identity, ordered by createdAt", arguments: BackendKind.available)
    func list(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.apiKeys
            #expect(try await store.list(identity: nil).isEmpty)
            let keys = [
                apiKey("k3", identity: "ci", created: 30),
                apiKey("k1", identity: "ci", created: 10),
                apiKey("k2", identity: "ops", created: 20),
                apiKey("k0", identity: "ops", created: 20),
            ]
            for key in keys {
                try await store.insert(key)
            }
            #expect(try await store.list(identity: nil).map(\.id) == ["k1", "k0", "k2", "k3"])
            #expect(try await store.list(identity: "ci") == [keys[1], keys[0]])
            #expect(try await store.list(identity: "ops").map(\.id) == ["k0", "k2"])
            #expect(try await store.list(identity: "nobody").isEmpty)
        }
    }

    @Test("inserting an existing id is a conflict and changes nothing", arguments: BackendKind.available)
    func duplicate(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.apiKeys
            let original = apiKey("dup")
            try await store.insert(original)
            let error = await #expect(throws: StorageError.self) {
                try await store.insert(apiKey("dup", identity: "intruder", roles: ["admin"]))
            }
            #expect(error?.isConflict == true)
            #expect(try await store.list(identity: nil) == [original])
        }
    }

    @Test("update replaces the whole row; a missing id is a conflict", arguments: BackendKind.available)
    func update(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.apiKeys
            var old = apiKey("old")
            old.lastUsedAt = instant(50)
            old.expiresAt = instant(10_000)
            try await store.insert(old)
            try await store.insert(apiKey("other"))

            // Rotation: the old key points at its successor and keeps working for a grace period.
            var rotated = old
            rotated.replacedBy = "new"
            rotated.graceUntil = instant(3600)
            rotated.roles = ["reader"]
            rotated.name = "renamed"
            try await store.update(rotated)
            #expect(try await store.find(id: "old") == rotated)

            // Optional fields can be cleared again.
            var cleared = rotated
            cleared.expiresAt = nil
            cleared.lastUsedAt = nil
            cleared.replacedBy = nil
            cleared.graceUntil = nil
            cleared.revokedAt = instant(7200)
            cleared.roles = []
            try await store.update(cleared)
            #expect(try await store.find(id: "old") == cleared)
            #expect(try await store.find(id: "other") == apiKey("other"), "other rows are untouched")

            let error = await #expect(throws: StorageError.self) {
                try await store.update(apiKey("missing"))
            }
            #expect(error == .conflict("no API key missing"))
            #expect(try await store.find(id: "missing") == nil, "update never inserts")
        }
    }

    @Test("touch sets lastUsedAt, never moving it back", arguments: BackendKind.available)
    func touch(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.apiKeys
            let key = apiKey("k")
            try await store.insert(key)
            try await store.touch(id: "k", at: instant(100, micros: 1))
            var expected = key
            expected.lastUsedAt = instant(100, micros: 1)
            #expect(try await store.find(id: "k") == expected, "only lastUsedAt changes")

            try await store.touch(id: "k", at: instant(200))
            #expect(try await store.find(id: "k")?.lastUsedAt == instant(200))
            try await store.touch(id: "k", at: instant(150))
            #expect(try await store.find(id: "k")?.lastUsedAt == instant(200), "an older touch does not move it back")

            try await store.touch(id: "missing", at: instant(300))
            #expect(try await store.find(id: "missing") == nil)

            _ = try await concurrently(10) { index in
                try await store.touch(id: "k", at: instant(400 + Int64(index)))
            }
            #expect(try await store.find(id: "k")?.lastUsedAt == instant(409))
        }
    }
}
