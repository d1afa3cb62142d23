import Foundation
@testable import QuartermasterStorage
import Testing

/// A lease whose kind and resource come from its id (`<kind>/<resource>/<random>`), with
/// microsecond-exact instants given in seconds after `instant(0)`.
func lease(
    _ id: String, subject: String = "spiffe://example.org/ci", issued: Int64 = 0, expires: Int64 = 3600,
    max: Int64 = 86_400, renewable: Bool = true, parent: String? = nil
) -> StoredLease {
    let parts = id.split(separator: "/", omittingEmptySubsequences: false)
    return StoredLease(
        id: id, subject: subject, kind: String(parts[0]), resource: parts.dropLast().joined(separator: "/"),
        issuedAt: instant(issued, micros: 17), expiresAt: instant(expires, micros: 3), maxExpiresAt: instant(max),
        renewable: renewable, parentID: parent)
}

@Suite("LeaseStore contract")
struct LeaseStoreTests {
    @Test("the granted TTL round-trips and survives renewal; it defaults to the first lifetime", arguments: BackendKind.available)
    func grantedTTL(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.leases
            var granted = lease("secret/db/a", issued: 0, expires: 600, max: 3600)
            granted.ttl = 900.5
            try await store.insert(granted)
            let renewed = try await store.renew(id: granted.id, expiresAt: instant(2000), now: instant(10))
            #expect(renewed?.ttl == 900.5)
            #expect(try await store.lease(id: granted.id)?.ttl == 900.5)
            let plain = lease("secret/db/b", issued: 0, expires: 600)
            #expect(plain.ttl == 599.999986)
            try await store.insert(plain)
            #expect(try await store.lease(id: plain.id)?.ttl == 599.999986)
        }
    }

    @Test("insert and lease round-trip every field; an existing id is a conflict", arguments: BackendKind.available)
    func roundTrip(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.leases
            #expect(try await store.lease(id: "token/jti-1/a") == nil)
            let token = lease("token/jti-1/a", subject: "spiffe://example.org/ünïcödé", renewable: false)
            let secret = lease("secret/gateway/token/4f1c", expires: 60, max: 600, parent: token.id)
            try await store.insert(token)
            try await store.insert(secret)
            #expect(try await store.lease(id: token.id) == token)
            #expect(try await store.lease(id: secret.id) == secret)
            #expect(try await store.lease(id: secret.id)?.parentID == "token/jti-1/a")

            let error = await #expect(throws: StorageError.self) {
                try await store.insert(lease(secret.id, subject: "someone-else", expires: 9999))
            }
            #expect(error?.isConflict == true)
            #expect(try await store.lease(id: secret.id) == secret, "the first lease is kept")
        }
    }

    @Test("a batch of leases is stored in one call; an id that exists is reported and left unchanged, the others are stored", arguments: BackendKind.available)
    func batchInsert(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.leases
            let first = lease("secret/a/1"), second = lease("secret/a/2"), third = lease("secret/a/3")
            let firstBatch = try await store.insert([first, second])
            #expect(firstBatch == [true, true])
            let secondBatch = try await store.insert([third, lease(second.id, subject: "someone-else"), lease(third.id, subject: "twice")])
            #expect(secondBatch == [true, false, false])
            #expect(try await store.lease(id: first.id) == first)
            #expect(try await store.lease(id: second.id) == second, "the existing lease is unchanged")
            #expect(try await store.lease(id: third.id) == third, "the first of two equal ids in a batch wins")
        }
    }

    @Test("revoke(id:) deletes the lease and its descendants transitively, nothing else", arguments: BackendKind.available)
    func revokeTransitively(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.leases
            let root = lease("token/t1/r")
            let child = lease("secret/db/c1", parent: root.id)
            let otherChild = lease("provider/aws/c2", parent: root.id)
            let grandchild = lease("token/t2/g", parent: child.id)
            let greatGrandchild = lease("secret/deep/gg", expires: -10, parent: grandchild.id)
            let unrelated = lease("token/t3/u")
            let unrelatedChild = lease("secret/db/u1", parent: unrelated.id)
            let all = [root, child, otherChild, grandchild, greatGrandchild, unrelated, unrelatedChild]
            for item in all {
                try await store.insert(item)
            }

            let revoked = try await store.revoke(id: child.id)
            #expect(revoked == [child, greatGrandchild, grandchild], "by id; the expired descendant too")
            #expect(try await store.lease(id: root.id) == root, "the parent stays")
            #expect(try await store.lease(id: otherChild.id) == otherChild, "a sibling stays")

            #expect(try await store.revoke(id: root.id) == [otherChild, root])
            #expect(try await store.revoke(id: root.id).isEmpty, "already revoked")
            #expect(try await store.revoke(id: "token/never/existed").isEmpty)
            #expect(try await store.list(subject: nil, prefix: nil, now: instant(0), limit: 100) == [unrelatedChild, unrelated])
        }
    }

    @Test("revoke(prefix:) matches the prefix literally and takes descendants; an empty prefix is refused", arguments: BackendKind.available)
    func revokePrefix(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.leases
            let underscore = lease("secret/a_b/1")
            let underscoreChild = lease("token/x/child", parent: underscore.id)
            let notUnderscore = lease("secret/aXb/1")
            let percent = lease("secret/a%/1")
            let notPercent = lease("secret/abc/1")
            let backslash = lease(#"secret/a\/1"#)
            let accented = lease("secret/é/1")
            let accentedLonger = lease("secret/éa/1")
            let nextAccent = lease("secret/ê/1")
            let maxScalar = lease("secret/z\u{10FFFF}/1")
            let afterMaxScalar = lease("secret/{/1")
            let all = [
                underscore, underscoreChild, notUnderscore, percent, notPercent, backslash, accented, accentedLonger,
                nextAccent, maxScalar, afterMaxScalar,
            ]
            for item in all {
                try await store.insert(item)
            }

            #expect(try await store.revoke(prefix: "secret/a_b/") == [underscore, underscoreChild])
            #expect(try await store.revoke(prefix: "secret/a%") == [percent])
            #expect(try await store.revoke(prefix: #"secret/a\"#) == [backslash])
            #expect(try await store.revoke(prefix: "secret/é") == [accented, accentedLonger])
            #expect(try await store.revoke(prefix: "secret/z\u{10FFFF}") == [maxScalar])
            #expect(try await store.revoke(prefix: "secret/nothing").isEmpty)

            let error = await #expect(throws: StorageError.self) {
                _ = try await store.revoke(prefix: "")
            }
            #expect(error?.isConflict == true)
            #expect(try await store.list(subject: nil, prefix: nil, now: instant(0), limit: 100).map(\.id) == [
                "secret/aXb/1", "secret/abc/1", "secret/{/1", "secret/ê/1",
            ])
            #expect(try await store.revoke(prefix: "secret/") == [notUnderscore, notPercent, afterMaxScalar, nextAccent])
        }
    }

    @Test("renew moves expiresAt, clamped to maxExpiresAt, only for a live renewable lease", arguments: BackendKind.available)
    func renew(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.leases
            let renewable = lease("secret/db/r", expires: 100, max: 500)
            let fixed = lease("secret/db/f", expires: 100, max: 500, renewable: false)
            try await store.insert(renewable)
            try await store.insert(fixed)

            var expected = renewable
            expected.expiresAt = instant(300, micros: 42)
            #expect(try await store.renew(id: renewable.id, expiresAt: instant(300, micros: 42), now: instant(50)) == expected)
            #expect(try await store.lease(id: renewable.id) == expected)

            expected.expiresAt = instant(500)
            #expect(try await store.renew(id: renewable.id, expiresAt: instant(900), now: instant(299)) == expected, "clamped")
            #expect(try await store.lease(id: renewable.id) == expected)

            #expect(try await store.renew(id: renewable.id, expiresAt: instant(400), now: instant(500)) == nil, "expired at now")
            #expect(try await store.lease(id: renewable.id) == expected, "a refused renewal changes nothing")
            #expect(try await store.renew(id: fixed.id, expiresAt: instant(200), now: instant(50)) == nil, "not renewable")
            #expect(try await store.lease(id: fixed.id) == fixed)
            #expect(try await store.renew(id: "secret/db/missing", expiresAt: instant(200), now: instant(50)) == nil)
        }
    }

    @Test("list gives live leases by id, filtered by subject and literal prefix, up to the limit", arguments: BackendKind.available)
    func list(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.leases
            let items = [
                lease("secret/db/2", subject: "alice"),
                lease("secret/db/1", subject: "bob"),
                lease("secret/dbx/1", subject: "alice"),
                lease("secret/d_/1", subject: "alice"),
                lease("token/j1/1", subject: "alice", expires: 100),
                lease("secret/db/expired", subject: "alice", expires: 10),
                lease("secret/db/boundary", subject: "alice", expires: 99),
            ]
            for item in items {
                try await store.insert(item)
            }
            let now = instant(99, micros: 3)
            #expect(try await store.list(subject: nil, prefix: nil, now: now, limit: 10).map(\.id) == [
                "secret/d_/1", "secret/db/1", "secret/db/2", "secret/dbx/1", "token/j1/1",
            ], "expiresAt == now is not live")
            #expect(try await store.list(subject: "alice", prefix: nil, now: now, limit: 10) == [
                items[3], items[0], items[2], items[4],
            ])
            #expect(try await store.list(subject: nil, prefix: "secret/db/", now: now, limit: 10).map(\.id) == [
                "secret/db/1", "secret/db/2",
            ])
            #expect(try await store.list(subject: "alice", prefix: "secret/db", now: now, limit: 10).map(\.id) == [
                "secret/db/2", "secret/dbx/1",
            ])
            #expect(try await store.list(subject: nil, prefix: "secret/d_", now: now, limit: 10).map(\.id) == ["secret/d_/1"])
            #expect(try await store.list(subject: nil, prefix: "", now: now, limit: 2).map(\.id) == ["secret/d_/1", "secret/db/1"])
            #expect(try await store.list(subject: "carol", prefix: nil, now: now, limit: 10).isEmpty)
            #expect(try await store.list(subject: nil, prefix: nil, now: now, limit: 0).isEmpty)
            #expect(try await store.list(subject: nil, prefix: nil, now: instant(0), limit: 10).count == items.count)
        }
    }

    @Test("sweep deletes expired leases in bounded batches, earliest first, and leaves live children", arguments: BackendKind.available)
    func sweepBatches(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.leases
            // 25 expired leases, inserted out of expiry order; expiry 1000 is exactly `now`.
            let expired = (0..<25).map { index in
                let number = (index * 7) % 25
                return lease("secret/db/\(number < 10 ? "0" : "")\(number)", expires: Int64(1000 - index))
            }
            for item in expired {
                try await store.insert(item)
            }
            let parent = expired[3]
            let liveChild = lease("token/child/1", expires: 5000, parent: parent.id)
            let live = lease("secret/db/live", expires: 1001)
            try await store.insert(liveChild)
            try await store.insert(live)
            let now = instant(1000, micros: 3)

            #expect(try await store.sweep(expiredAt: now, limit: 0).isEmpty)
            var batches: [[StoredLease]] = []
            for _ in 0..<4 {
                batches.append(try await store.sweep(expiredAt: now, limit: 10))
            }
            #expect(batches.map(\.count) == [10, 10, 5, 0])
            let swept = batches.flatMap { $0 }
            #expect(swept == expired.sorted { $0.expiresAt < $1.expiresAt }, "earliest expiry first, across batches")
            #expect(try await store.lease(id: parent.id) == nil)
            #expect(try await store.lease(id: liveChild.id) == liveChild, "a swept lease's live child stays")
            #expect(try await store.list(subject: nil, prefix: nil, now: instant(0), limit: 10) == [live, liveChild])
            #expect(try await store.countLive(now: now) == 2)
        }
    }

    @Test("concurrent sweeps never return one lease twice", arguments: BackendKind.available)
    func concurrentSweeps(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.leases
            for index in 0..<60 {
                try await store.insert(lease("secret/race/\(index)", expires: Int64(index)))
            }
            let batches = try await concurrently(6) { _ in try await store.sweep(expiredAt: instant(100), limit: 10) }
            var ids = batches.flatMap { $0.map(\.id) }
            var batch: [StoredLease]
            repeat {
                batch = try await store.sweep(expiredAt: instant(100), limit: 10)
                ids += batch.map(\.id)
            } while !batch.isEmpty
            #expect(ids.count == 60)
            #expect(Set(ids).count == 60)
            #expect(try await store.countLive(now: instant(0)) == 0)
        }
    }

    @Test("countLive counts leases with expiresAt after now", arguments: BackendKind.available)
    func countLive(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.leases
            #expect(try await store.countLive(now: instant(0)) == 0)
            for index in 1...5 {
                try await store.insert(lease("secret/count/\(index)", expires: Int64(index * 10)))
            }
            #expect(try await store.countLive(now: instant(0)) == 5)
            #expect(try await store.countLive(now: instant(30, micros: 2)) == 3, "expiring at 30s + 3µs is still live")
            #expect(try await store.countLive(now: instant(30, micros: 3)) == 2)
            #expect(try await store.countLive(now: instant(60)) == 0)
        }
    }

    @Test("sweep takes bounded batches from a table of 100,000 leases", arguments: BackendKind.available)
    func sweepAtScale(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, database in
            let store = backend.leases
            // Every tenth lease expired i µs after instant(0), in id order unlike expiry order;
            // the others live for a day.
            let base = instant(0).storageMicroseconds
            try await database.execute(on: backend, """
                WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) \
                INSERT INTO leases (id, subject, kind, resource, issued_at, expires_at, max_expires_at, renewable, parent_id) \
                SELECT 'secret/bulk/' || i, 'svc-' || (i % 7), 'secret', 'secret/bulk', \(base), \
                CASE WHEN i % 10 = 0 THEN \(base) + i ELSE \(base) + 86400000000 END, \(base) + 86400000000, TRUE, NULL \
                FROM n
                """)
            let now = instant(1)
            #expect(try await store.countLive(now: now) == 90_000)

            var batches: [[StoredLease]] = []
            repeat {
                batches.append(try await store.sweep(expiredAt: now, limit: 2_500))
            } while !(batches.last?.isEmpty ?? true)
            #expect(batches.map(\.count) == [2_500, 2_500, 2_500, 2_500, 0])
            let swept = batches.flatMap { $0 }
            #expect(swept.map(\.expiresAt) == (1...10_000).map { Date(storageMicroseconds: base + Int64($0) * 10) })
            #expect(swept.allSatisfy { $0.expiresAt <= now })
            #expect(try await store.countLive(now: now) == 90_000)
            #expect(try await store.lease(id: "secret/bulk/99990") == nil)
            #expect(try await store.lease(id: "secret/bulk/99999")?.subject == "svc-\(99_999 % 7)")
            #expect(try await store.list(subject: nil, prefix: nil, now: instant(0), limit: 3).map(\.id) == [
                "secret/bulk/1", "secret/bulk/10001", "secret/bulk/10002",
            ], "10, 100, ..., 100000 were swept")
        }
    }
}
