import Foundation
import QuartermasterStorage
import Testing

@Suite("RevocationStore contract")
struct RevocationStoreTests {
    @Test("revoke is idempotent and keeps the first revocation", arguments: BackendKind.available)
    func revokeIdempotent(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.revocations
            #expect(try await store.isRevoked(jti: "t1") == false)
            let first = revocation("t1", revoked: 10, expires: 100, reason: "logout")
            try await store.revoke(first)
            try await store.revoke(revocation("t1", revoked: 20, expires: 900, reason: "again"))
            #expect(try await store.isRevoked(jti: "t1"))
            #expect(try await store.isRevoked(jti: "t2") == false)
            #expect(try await store.list(since: nil, limit: 10) == [first])

            _ = try await concurrently(10) { index in
                try await store.revoke(revocation("t-race", revoked: Int64(30 + index), expires: 100))
            }
            #expect(try await store.list(since: nil, limit: 10).map(\.jti) == ["t1", "t-race"])
        }
    }

    @Test("list filters by revokedAt >= since, ascending, up to the limit", arguments: BackendKind.available)
    func list(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.revocations
            let items = [
                revocation("c", revoked: 30, expires: 100),
                revocation("a", revoked: 10, expires: 100, reason: "ünïcödé ✓ \"quoted\""),
                revocation("b2", revoked: 20, expires: 100),
                revocation("b1", revoked: 20, expires: 100),
            ]
            for item in items {
                try await store.revoke(item)
            }
            #expect(try await store.list(since: nil, limit: 10) == [items[1], items[3], items[2], items[0]])
            #expect(try await store.list(since: instant(20), limit: 10).map(\.jti) == ["b1", "b2", "c"])
            #expect(try await store.list(since: instant(20, micros: 1), limit: 10).map(\.jti) == ["c"])
            #expect(try await store.list(since: instant(10), limit: 2).map(\.jti) == ["a", "b1"])
            #expect(try await store.list(since: instant(31), limit: 10).isEmpty)
            #expect(try await store.list(since: nil, limit: 0).isEmpty)
        }
    }

    @Test("purge deletes revocations of expired tokens up to the limit and returns the count", arguments: BackendKind.available)
    func purge(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.revocations
            for index in 0..<5 {
                try await store.revoke(revocation("old-\(index)", revoked: 0, expires: Int64(10 + index)))
            }
            try await store.revoke(revocation("boundary", revoked: 0, expires: 100))
            try await store.revoke(revocation("live", revoked: 0, expires: 1000))

            #expect(try await store.purge(expiredBefore: instant(100), limit: 0) == 0)
            #expect(try await store.purge(expiredBefore: instant(100), limit: 3) == 3)
            #expect(try await store.isRevoked(jti: "old-0") == false, "oldest first")
            #expect(try await store.isRevoked(jti: "old-3"))
            #expect(try await store.purge(expiredBefore: instant(100), limit: 10) == 2)
            #expect(try await store.purge(expiredBefore: instant(100), limit: 10) == 0, "the entry expiring at now stays")
            #expect(try await store.list(since: nil, limit: 10).map(\.jti) == ["boundary", "live"])
            #expect(try await store.purge(expiredBefore: instant(5000), limit: 10) == 2)
            #expect(try await store.isRevoked(jti: "live") == false)
        }
    }
}
