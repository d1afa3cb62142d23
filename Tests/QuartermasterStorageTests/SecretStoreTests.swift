import Foundation
import QuartermasterStorage
import Testing

/// A seal function like the secrets service's: the returned row carries the version number
/// it was given, with bytes covering every byte value, distinct per path and version.
func sealSecret(
    _ path: String, at seconds: Int64 = 0, rootKeyID: String = "root-1"
) -> @Sendable (Int) throws -> StoredSecretVersion {
    { version in secretVersion(path, version, at: seconds, rootKeyID: rootKeyID) }
}

/// The row `sealSecret(path, at:)` returns for `version`.
func secretVersion(_ path: String, _ version: Int, at seconds: Int64 = 0, rootKeyID: String = "root-1") -> StoredSecretVersion {
    let seed = UInt8(truncatingIfNeeded: version &* 31 &+ path.utf8.count)
    return StoredSecretVersion(
        path: path, version: version, sealedValue: sealedBytes(seed) + Data(path.utf8),
        wrappedDataKey: Data(sealedBytes(seed &+ 1).reversed()), rootKeyID: rootKeyID,
        createdAt: instant(seconds, micros: Int64(version)))
}

@Suite("SecretStore contract")
struct SecretStoreTests {
    @Test("readWithMetadata answers as read and metadata together, and sees the next write", arguments: BackendKind.available)
    func readWithMetadata(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.secrets
            #expect(try await store.readWithMetadata(path: "gateway/token", version: nil) == nil)
            let first = try await store.write(
                path: "gateway/token", cas: nil, maxVersions: 10, customMetadata: ["owner": "gateway"],
                now: instant(100), sealSecret("gateway/token", at: 100))

            let current = try #require(try await store.readWithMetadata(path: "gateway/token", version: nil))
            #expect(current.version == first)
            #expect(current.metadata == (try await store.metadata(path: "gateway/token")))
            #expect(try await store.readWithMetadata(path: "gateway/token", version: 2) == nil)

            let second = try await store.write(
                path: "gateway/token", cas: nil, maxVersions: 10, customMetadata: nil, now: instant(200),
                sealSecret("gateway/token", at: 200))
            let afterWrite = try #require(try await store.readWithMetadata(path: "gateway/token", version: nil))
            #expect(afterWrite.version == second)
            #expect(afterWrite.metadata.currentVersion == 2)
            #expect(afterWrite.metadata.updatedAt == instant(200))
            #expect(try await store.readWithMetadata(path: "gateway/token", version: 1)?.version == first)
            #expect(try await store.readWithMetadata(path: "gateway/other", version: 1) == nil)
        }
    }

    @Test("write and read round-trip every byte and field; versions increment", arguments: BackendKind.available)
    func roundTrip(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.secrets
            #expect(try await store.read(path: "gateway/token", version: nil) == nil)
            #expect(try await store.metadata(path: "gateway/token") == nil)
            #expect(try await store.versions(path: "gateway/token").isEmpty)

            let first = try await store.write(
                path: "gateway/token", cas: nil, maxVersions: 10, customMetadata: ["owner": "gateway/ü \"x\""],
                now: instant(100, micros: 1), sealSecret("gateway/token", at: 100))
            #expect(first == secretVersion("gateway/token", 1, at: 100))
            #expect(first.sealedValue.count == 256 + "gateway/token".utf8.count)
            let second = try await store.write(
                path: "gateway/token", cas: nil, maxVersions: 10, customMetadata: nil, now: instant(200, micros: 2),
                sealSecret("gateway/token", at: 200, rootKeyID: "root-2"))
            #expect(second.version == 2)

            #expect(try await store.read(path: "gateway/token", version: nil) == second)
            #expect(try await store.read(path: "gateway/token", version: 1) == first)
            #expect(try await store.read(path: "gateway/token", version: 2) == second)
            #expect(try await store.read(path: "gateway/token", version: 3) == nil)
            #expect(try await store.read(path: "gateway/other", version: 1) == nil)
            #expect(try await store.versions(path: "gateway/token") == [first, second])
            #expect(try await store.metadata(path: "gateway/token") == StoredSecretMetadata(
                path: "gateway/token", currentVersion: 2, oldestVersion: 1, maxVersions: 10,
                customMetadata: ["owner": "gateway/ü \"x\""], createdAt: instant(100, micros: 1),
                updatedAt: instant(200, micros: 2)))

            // Empty values round-trip as empty bytes, and a fractional instant at storage precision.
            var empty = secretVersion("empty", 1)
            empty.sealedValue = Data()
            empty.wrappedDataKey = Data()
            empty.createdAt = Date(timeIntervalSince1970: 1_700_000_000.123456789)
            let stored = try await store.write(
                path: "empty", cas: nil, maxVersions: 1, customMetadata: nil, now: instant(0)) { [empty] _ in empty }
            #expect(stored.createdAt == Date(timeIntervalSince1970: 1_700_000_000.123457))
            #expect(try await store.read(path: "empty", version: nil) == stored)
            #expect(try await store.metadata(path: "empty")?.customMetadata == [:])
        }
    }

    @Test("cas: nil always, 0 only for a new path, n only at version n", arguments: BackendKind.available)
    func checkAndSet(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.secrets
            let path = "app/db"
            let wrongOnNew = await #expect(throws: StorageError.self) {
                _ = try await store.write(path: path, cas: 1, maxVersions: 5, customMetadata: nil, now: instant(0), sealSecret(path))
            }
            #expect(wrongOnNew?.isConflict == true)
            #expect(wrongOnNew?.description.contains("cas") == true)
            #expect(try await store.metadata(path: path) == nil, "a refused write leaves no trace")
            #expect(try await store.list(prefix: "") == [])

            #expect(try await store.write(path: path, cas: 0, maxVersions: 5, customMetadata: nil, now: instant(1), sealSecret(path)).version == 1)
            #expect(try await store.write(path: path, cas: 1, maxVersions: 5, customMetadata: nil, now: instant(2), sealSecret(path)).version == 2)
            #expect(try await store.write(path: path, cas: nil, maxVersions: 5, customMetadata: nil, now: instant(3), sealSecret(path)).version == 3)

            for cas in [0, 1, 2, 4] {
                let error = await #expect(throws: StorageError.self) {
                    _ = try await store.write(
                        path: path, cas: cas, maxVersions: 1, customMetadata: ["x": "y"], now: instant(9), sealSecret(path))
                }
                #expect(error?.isConflict == true)
                #expect(error?.description.contains("cas \(cas)") == true)
            }
            let metadata = try await store.metadata(path: path)
            #expect(metadata?.currentVersion == 3)
            #expect(metadata?.maxVersions == 5)
            #expect(metadata?.customMetadata == [:])
            #expect(metadata?.updatedAt == instant(3))
            #expect(try await store.versions(path: path).map(\.version) == [1, 2, 3], "nothing written or pruned")
        }
    }

    @Test("a seal that fails or returns another version writes nothing", arguments: BackendKind.available)
    func badSeal(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.secrets
            let failing: @Sendable (Int) throws -> StoredSecretVersion = { _ in throw SealFailure() }
            let nextVersion: @Sendable (Int) throws -> StoredSecretVersion = { secretVersion("p", $0 + 1) }
            let otherPath: @Sendable (Int) throws -> StoredSecretVersion = { secretVersion("q", $0) }
            await #expect(throws: SealFailure.self) {
                _ = try await store.write(path: "p", cas: nil, maxVersions: 5, customMetadata: nil, now: instant(0), failing)
            }
            for seal in [nextVersion, otherPath] {
                let error = await #expect(throws: StorageError.self) {
                    _ = try await store.write(path: "p", cas: nil, maxVersions: 5, customMetadata: nil, now: instant(0), seal)
                }
                #expect(error?.isConflict == true)
            }
            let metadata = try await store.metadata(path: "p")
            let versions = try await store.versions(path: "q")
            let written = try await store.write(
                path: "p", cas: 0, maxVersions: 5, customMetadata: nil, now: instant(0), sealSecret("p"))
            #expect(metadata == nil)
            #expect(versions.isEmpty)
            #expect(written.version == 1)
        }
    }

    @Test("writes keep at most maxVersions; pruned versions read as nil", arguments: BackendKind.available)
    func pruning(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.secrets
            let path = "prune/me"
            for second in 1...5 {
                _ = try await store.write(path: path, cas: nil, maxVersions: 3, customMetadata: nil, now: instant(Int64(second)), sealSecret(path))
            }
            _ = try await store.write(path: "prune/other", cas: nil, maxVersions: 3, customMetadata: nil, now: instant(0), sealSecret("prune/other"))
            #expect(try await store.versions(path: path).map(\.version) == [3, 4, 5])
            #expect(try await store.read(path: path, version: 2) == nil)
            #expect(try await store.read(path: path, version: 1) == nil)
            #expect(try await store.read(path: path, version: 3) == secretVersion(path, 3))
            var metadata = try #require(try await store.metadata(path: path))
            #expect(metadata.currentVersion == 5)
            #expect(metadata.oldestVersion == 3)
            #expect(metadata.maxVersions == 3)

            // Raising the limit keeps what is there; lowering it prunes at the next write.
            _ = try await store.write(path: path, cas: 5, maxVersions: 10, customMetadata: nil, now: instant(6), sealSecret(path))
            #expect(try await store.versions(path: path).map(\.version) == [3, 4, 5, 6])
            metadata = try #require(try await store.metadata(path: path))
            #expect(metadata.oldestVersion == 3)
            #expect(metadata.maxVersions == 10)
            _ = try await store.write(path: path, cas: 6, maxVersions: 1, customMetadata: nil, now: instant(7), sealSecret(path))
            #expect(try await store.versions(path: path) == [secretVersion(path, 7)])
            metadata = try #require(try await store.metadata(path: path))
            #expect(metadata.oldestVersion == 7)
            #expect(metadata.currentVersion == 7)
            #expect(metadata.createdAt == instant(1))
            #expect(metadata.updatedAt == instant(7))
            #expect(try await store.read(path: path, version: nil)?.version == 7)
            #expect(try await store.versions(path: "prune/other").count == 1, "other paths are untouched")
        }
    }

    @Test("customMetadata replaces when given, stays when nil", arguments: BackendKind.available)
    func customMetadata(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.secrets
            let path = "meta"
            _ = try await store.write(path: path, cas: nil, maxVersions: 5, customMetadata: nil, now: instant(0), sealSecret(path))
            #expect(try await store.metadata(path: path)?.customMetadata == [:])
            let tags = ["team": "platform", "rotates": "daily", "quote\"and\\slash": "a/b"]
            _ = try await store.write(path: path, cas: nil, maxVersions: 5, customMetadata: tags, now: instant(1), sealSecret(path))
            #expect(try await store.metadata(path: path)?.customMetadata == tags)
            _ = try await store.write(path: path, cas: nil, maxVersions: 5, customMetadata: nil, now: instant(2), sealSecret(path))
            #expect(try await store.metadata(path: path)?.customMetadata == tags)
            _ = try await store.write(path: path, cas: nil, maxVersions: 5, customMetadata: [:], now: instant(3), sealSecret(path))
            #expect(try await store.metadata(path: path)?.customMetadata == [:])
        }
    }

    @Test("list gives immediate children, folders with a slash, sorted", arguments: BackendKind.available)
    func list(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.secrets
            #expect(try await store.list(prefix: "").isEmpty)
            let paths = [
                "gateway/token", "gateway/proxy-auth/upstream", "gateway/proxy-auth/downstream",
                "gateway/jwt-keys/a/b", "gatewayx/token", "gateway2", "top", "openai/key", "ü/secret",
                "a_b/x", "axb/y", "a%c/z", "abc/w", "a_b_/v",
            ]
            for path in paths {
                _ = try await store.write(path: path, cas: nil, maxVersions: 2, customMetadata: nil, now: instant(0), sealSecret(path))
            }
            #expect(try await store.list(prefix: "gateway/") == ["jwt-keys/", "proxy-auth/", "token"])
            #expect(try await store.list(prefix: "gateway") == ["jwt-keys/", "proxy-auth/", "token"])
            #expect(try await store.list(prefix: "gateway/proxy-auth/") == ["downstream", "upstream"])
            #expect(try await store.list(prefix: "gateway/jwt-keys/") == ["a/"])
            #expect(try await store.list(prefix: "gateway/token/") == [])
            #expect(try await store.list(prefix: "nothing/") == [])
            #expect(try await store.list(prefix: "") == [
                "a%c/", "a_b/", "a_b_/", "abc/", "axb/", "gateway/", "gateway2", "gatewayx/", "openai/", "top", "ü/",
            ])
            // LIKE wildcards in a prefix match only themselves.
            #expect(try await store.list(prefix: "a_b/") == ["x"])
            #expect(try await store.list(prefix: "a%c/") == ["z"])
            #expect(try await store.list(prefix: "a%/") == [])
            #expect(try await store.list(prefix: "ü/") == ["secret"])

            // A path whose versions are all soft-deleted or destroyed is still listed.
            #expect(try await store.destroy(path: "top", versions: [1]) == 1)
            #expect(try await store.list(prefix: "").contains("top"))
        }
    }

    @Test("soft delete, undelete and destroy report counts and change only what they name", arguments: BackendKind.available)
    func deleteUndeleteDestroy(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.secrets
            let path = "lifecycle"
            for second in 1...4 {
                _ = try await store.write(path: path, cas: nil, maxVersions: 10, customMetadata: nil, now: instant(Int64(second)), sealSecret(path))
            }
            _ = try await store.write(path: "bystander", cas: nil, maxVersions: 10, customMetadata: nil, now: instant(0), sealSecret("bystander"))

            #expect(try await store.softDelete(path: path, versions: [], at: instant(10)) == 0)
            #expect(try await store.softDelete(path: path, versions: [1, 2, 2, 99], at: instant(10, micros: 5)) == 2)
            #expect(try await store.softDelete(path: path, versions: [2, 3], at: instant(20)) == 1, "already deleted stays as it was")
            var expected1 = secretVersion(path, 1)
            expected1.deletedAt = instant(10, micros: 5)
            var expected2 = secretVersion(path, 2)
            expected2.deletedAt = instant(10, micros: 5)
            var expected3 = secretVersion(path, 3)
            expected3.deletedAt = instant(20)
            #expect(try await store.read(path: path, version: 1) == expected1)
            #expect(try await store.read(path: path, version: 2) == expected2)
            #expect(try await store.read(path: path, version: 3) == expected3)
            #expect(try await store.read(path: path, version: nil) == secretVersion(path, 4))

            #expect(try await store.undelete(path: path, versions: [1, 4, 99]) == 1, "only deleted versions count")
            #expect(try await store.read(path: path, version: 1) == secretVersion(path, 1))

            #expect(try await store.destroy(path: path, versions: [2, 4]) == 2)
            #expect(try await store.destroy(path: path, versions: [2, 4, 99]) == 0, "already destroyed")
            var destroyed2 = expected2
            destroyed2.sealedValue = Data()
            destroyed2.wrappedDataKey = Data()
            destroyed2.destroyed = true
            var destroyed4 = secretVersion(path, 4)
            destroyed4.sealedValue = Data()
            destroyed4.wrappedDataKey = Data()
            destroyed4.destroyed = true
            #expect(try await store.read(path: path, version: 2) == destroyed2)
            #expect(try await store.read(path: path, version: nil) == destroyed4)
            #expect(try await store.undelete(path: path, versions: [2, 3]) == 1, "a destroyed version stays deleted")
            #expect(try await store.read(path: path, version: 2)?.deletedAt == instant(10, micros: 5))
            #expect(try await store.versions(path: path) == [secretVersion(path, 1), destroyed2, secretVersion(path, 3), destroyed4])

            #expect(try await store.softDelete(path: "missing", versions: [1], at: instant(0)) == 0)
            #expect(try await store.undelete(path: "missing", versions: [1]) == 0)
            #expect(try await store.destroy(path: "missing", versions: [1]) == 0)
            #expect(try await store.versions(path: "bystander") == [secretVersion("bystander", 1)])
            #expect(try await store.metadata(path: path)?.currentVersion == 4)

            // A new version after destroying the current one is version 5.
            #expect(try await store.write(path: path, cas: 4, maxVersions: 10, customMetadata: nil, now: instant(30), sealSecret(path)).version == 5)
        }
    }

    @Test("concurrent writes to one path get distinct, gapless versions", arguments: BackendKind.available)
    func concurrentWrites(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, database in
            let store = backend.secrets
            let path = "race/one"
            let written = try await concurrently(20) { index in
                try await store.write(
                    path: path, cas: nil, maxVersions: 100, customMetadata: ["writer": "\(index)"],
                    now: instant(Int64(index)), sealSecret(path, rootKeyID: "root-\(index)"))
            }
            #expect(written.map(\.version).sorted() == Array(1...20))
            let stored = try await store.versions(path: path)
            #expect(stored == written.sorted { $0.version < $1.version })
            #expect(try await store.metadata(path: path)?.currentVersion == 20)

            // cas 0 from many writers at once on a new path: exactly one wins. On PostgreSQL a
            // second backend (another replica's pool) takes part.
            let other = try await database.open(role: .secondary)
            let outcomes = try await concurrently(10) { index in
                let secrets = index.isMultiple(of: 2) ? store : other.secrets
                do {
                    return try await secrets.write(
                        path: "race/new", cas: 0, maxVersions: 5, customMetadata: nil, now: instant(0), sealSecret("race/new"))
                        .version
                } catch let error as StorageError where error.isConflict {
                    return 0
                }
            }
            #expect(outcomes.sorted() == Array(repeating: 0, count: 9) + [1])
            let replicas = try await concurrently(10) { index in
                let secrets = index.isMultiple(of: 2) ? store : other.secrets
                return try await secrets.write(
                    path: "race/new", cas: nil, maxVersions: 5, customMetadata: nil, now: instant(1), sealSecret("race/new"))
                    .version
            }
            #expect(replicas.sorted() == Array(2...11))
            #expect(try await other.secrets.versions(path: "race/new").map(\.version) == Array(7...11))
            #expect(try await store.metadata(path: "race/new")?.oldestVersion == 7)
            try await other.close()
        }
    }

    @Test("secrets survive close and reopen", arguments: BackendKind.available)
    func reopen(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, database in
            let first = try await backend.secrets.write(
                path: "keep/me", cas: 0, maxVersions: 3, customMetadata: ["a": "b"], now: instant(1), sealSecret("keep/me"))
            let second = try await backend.secrets.write(
                path: "keep/me", cas: 1, maxVersions: 3, customMetadata: nil, now: instant(2), sealSecret("keep/me"))
            #expect(try await backend.secrets.softDelete(path: "keep/me", versions: [1], at: instant(3)) == 1)
            let metadata = try await backend.secrets.metadata(path: "keep/me")
            try await backend.close()

            let reopened = try await database.open()
            var deleted = first
            deleted.deletedAt = instant(3)
            #expect(try await reopened.secrets.versions(path: "keep/me") == [deleted, second])
            #expect(try await reopened.secrets.metadata(path: "keep/me") == metadata)
            #expect(try await reopened.secrets.list(prefix: "keep/") == ["me"])
            #expect(try await reopened.secrets.write(
                path: "keep/me", cas: 2, maxVersions: 3, customMetadata: nil, now: instant(4), sealSecret("keep/me")).version == 3)
            try await reopened.close()
        }
    }

    @Test("a closed backend's secret store reports unavailable", arguments: BackendKind.available)
    func closed(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            try await backend.close()
            let store = backend.secrets
            let attempts: [@Sendable () async throws -> Void] = [
                { _ = try await store.read(path: "p", version: nil) },
                { _ = try await store.write(path: "p", cas: nil, maxVersions: 1, customMetadata: nil, now: instant(0), sealSecret("p")) },
                { _ = try await store.list(prefix: "") },
                { _ = try await store.destroy(path: "p", versions: [1]) },
            ]
            for attempt in attempts {
                let error = await #expect(throws: StorageError.self) {
                    try await attempt()
                }
                #expect(error?.isUnavailable == true)
            }
        }
    }
}
