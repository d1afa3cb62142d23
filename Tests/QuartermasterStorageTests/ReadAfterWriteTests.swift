import Foundation
@testable import QuartermasterStorage
import Testing

/// The SQLite backend serves hot reads from memory (`Caching/`); on every backend a read
/// made after a write through the stores sees that write.
@Suite("Reads see every earlier write")
struct ReadAfterWriteTests {
    @Test("a secret read, then written, deleted, undeleted, destroyed or rewrapped, reads back changed", arguments: BackendKind.available)
    func secrets(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.secrets
            _ = try await store.write(path: "llm/openai", cas: nil, maxVersions: 10, customMetadata: nil, now: instant(1), sealSecret("llm/openai", at: 1))
            #expect(try await store.read(path: "llm/openai", version: nil)?.version == 1)
            #expect(try await store.metadata(path: "llm/openai")?.currentVersion == 1)

            _ = try await store.write(path: "llm/openai", cas: nil, maxVersions: 10, customMetadata: ["owner": "ml"], now: instant(2), sealSecret("llm/openai", at: 2))
            #expect(try await store.read(path: "llm/openai", version: nil)?.version == 2)
            #expect(try await store.metadata(path: "llm/openai")?.customMetadata == ["owner": "ml"])

            #expect(try await store.read(path: "llm/openai", version: 2)?.deletedAt == nil)
            _ = try await store.softDelete(path: "llm/openai", versions: [2], at: instant(3))
            #expect(try await store.read(path: "llm/openai", version: nil)?.deletedAt == instant(3))
            #expect(try await store.read(path: "llm/openai", version: 2)?.deletedAt == instant(3))
            _ = try await store.undelete(path: "llm/openai", versions: [2])
            #expect(try await store.read(path: "llm/openai", version: 2)?.deletedAt == nil)

            let item = try #require(try await backend.rootKeys.items(notSealedUnder: "root-2", limit: 10).first { $0.owner == "llm/openai" && $0.version == 2 })
            #expect(try await backend.rootKeys.replace(item, sealed: Data([7, 7]), rootKeyID: "root-2"))
            #expect(try await store.read(path: "llm/openai", version: nil)?.rootKeyID == "root-2")
            #expect(try await store.read(path: "llm/openai", version: 2)?.wrappedDataKey == Data([7, 7]))

            _ = try await store.destroy(path: "llm/openai", versions: [2])
            #expect(try await store.read(path: "llm/openai", version: nil)?.destroyed == true)
        }
    }

    @Test("an API key read, then revoked or touched, reads back changed", arguments: BackendKind.available)
    func apiKeys(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            var key = apiKey("qmak_cached")
            try await backend.apiKeys.insert(key)
            #expect(try await backend.apiKeys.find(id: key.id)?.revokedAt == nil)
            key.revokedAt = instant(5)
            try await backend.apiKeys.update(key)
            #expect(try await backend.apiKeys.find(id: key.id)?.revokedAt == instant(5))
            try await backend.apiKeys.touch(id: key.id, at: instant(6))
            #expect(try await backend.apiKeys.find(id: key.id)?.lastUsedAt == instant(6))
        }
    }

    @Test("an OAuth client read, then revoked, reads back revoked", arguments: BackendKind.available)
    func clients(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            try await backend.clients.insert(oauthClient("qmc_cached", created: 1))
            #expect(try await backend.clients.find(clientID: "qmc_cached")?.revokedAt == nil)
            #expect(try await backend.clients.revoke(clientID: "qmc_cached", at: instant(2)))
            #expect(try await backend.clients.find(clientID: "qmc_cached")?.revokedAt == instant(2))
        }
    }

    @Test("a value read before an invalidation is not cached after it")
    func staleOfferRefused() {
        let cache = ReadCache<String, Int>(capacity: 4)
        let ticket = cache.ticket()
        cache.invalidate("a")
        cache.offer(1, for: "a", ticket: ticket)
        #expect(cache.value(for: "a") == nil)
        cache.offer(2, for: "a", ticket: cache.ticket())
        #expect(cache.value(for: "a") == 2)
    }

    @Test("a full cache starts over rather than growing")
    func bounded() {
        let cache = ReadCache<Int, Int>(capacity: 2)
        for key in 0..<3 { cache.offer(key, for: key, ticket: cache.ticket()) }
        #expect(cache.value(for: 2) == 2)
        #expect(cache.value(for: 0) == nil)
    }
}
