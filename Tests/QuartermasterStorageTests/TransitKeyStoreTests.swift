import Foundation
import QuartermasterStorage
import Testing

/// Version `version` of a transit key: bytes covering every byte value, distinct per version.
func transitVersion(_ version: Int, rootKeyID: String = "root-1", at seconds: Int64 = 0) -> StoredTransitKeyVersion {
    StoredTransitKeyVersion(
        version: version, sealedKey: sealedBytes(UInt8(truncatingIfNeeded: version * 3)), rootKeyID: rootKeyID,
        createdAt: instant(seconds, micros: Int64(version)))
}

/// A new transit key with version 1.
func transitKey(_ name: String, at seconds: Int64 = 0) -> StoredTransitKey {
    StoredTransitKey(
        name: name, latestVersion: 1, minDecryptionVersion: 1, createdAt: instant(seconds, micros: 5),
        updatedAt: instant(seconds, micros: 5), versions: [transitVersion(1, at: seconds)])
}

@Suite("TransitKeyStore contract")
struct TransitKeyStoreTests {
    @Test("create and key round-trip every field and version; an existing name is a conflict", arguments: BackendKind.available)
    func roundTrip(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.transitKeys
            #expect(try await store.key(name: "model-weights") == nil)
            let key = transitKey("model-weights", at: 10)
            var imported = StoredTransitKey(
                name: "imported ✓", latestVersion: 3, minDecryptionVersion: 2, createdAt: instant(1), updatedAt: instant(2),
                versions: [transitVersion(3, rootKeyID: "root-2"), transitVersion(1), transitVersion(2)])
            imported.versions[1].sealedKey = Data()
            try await store.create(key)
            try await store.create(imported)
            #expect(try await store.key(name: "model-weights") == key)
            let stored = try await store.key(name: "imported ✓")
            #expect(stored?.versions.map(\.version) == [1, 2, 3], "versions ascending")
            #expect(stored?.versions.first?.sealedKey.isEmpty == true, "empty bytes stay empty bytes")
            imported.versions.sort { $0.version < $1.version }
            #expect(stored == imported)

            let duplicate = await #expect(throws: StorageError.self) {
                try await store.create(transitKey("model-weights", at: 99))
            }
            #expect(duplicate?.isConflict == true)
            #expect(try await store.key(name: "model-weights") == key, "the first key is kept")
        }
    }

    @Test("addVersion appends the next version and makes it the latest; a skipped or stale version is a conflict", arguments: BackendKind.available)
    func addVersion(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.transitKeys
            var expected = transitKey("k")
            try await store.create(expected)

            let second = transitVersion(2, rootKeyID: "root-2", at: 20)
            expected.versions.append(second)
            expected.latestVersion = 2
            expected.updatedAt = instant(20, micros: 9)
            #expect(try await store.addVersion(name: "k", second, now: instant(20, micros: 9)) == expected)
            #expect(try await store.key(name: "k") == expected)

            for version in [transitVersion(2), transitVersion(4), transitVersion(1)] {
                let error = await #expect(throws: StorageError.self) {
                    _ = try await store.addVersion(name: "k", version, now: instant(30))
                }
                #expect(error?.isConflict == true)
            }
            let missing = await #expect(throws: StorageError.self) {
                _ = try await store.addVersion(name: "missing", transitVersion(2), now: instant(30))
            }
            #expect(missing?.isConflict == true)
            #expect(try await store.key(name: "k") == expected, "refused versions change nothing")
            #expect(try await store.key(name: "missing") == nil)
        }
    }

    @Test("of concurrent rotations to one version exactly one wins", arguments: BackendKind.available)
    func concurrentRotations(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.transitKeys
            try await store.create(transitKey("k"))
            let outcomes = try await concurrently(8) { index -> StoredTransitKeyVersion? in
                var version = transitVersion(2, rootKeyID: "root-\(index)")
                version.sealedKey = Data([UInt8(index)])
                do {
                    return try await store.addVersion(name: "k", version, now: instant(Int64(index))).versions.last
                } catch let error as StorageError where error.isConflict {
                    return nil
                }
            }
            let winners = outcomes.compactMap { $0 }
            #expect(winners.count == 1)
            let key = try #require(try await store.key(name: "k"))
            #expect(key.latestVersion == 2)
            #expect(key.versions.count == 2)
            #expect(key.versions.last == winners.first)
        }
    }

    @Test("setMinDecryptionVersion accepts 1...latest, refuses other values, nil for a missing key", arguments: BackendKind.available)
    func minDecryptionVersion(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.transitKeys
            try await store.create(transitKey("k"))
            _ = try await store.addVersion(name: "k", transitVersion(2), now: instant(1))
            var expected = try await store.addVersion(name: "k", transitVersion(3), now: instant(2))

            expected.minDecryptionVersion = 3
            expected.updatedAt = instant(5, micros: 1)
            #expect(try await store.setMinDecryptionVersion(name: "k", 3, now: instant(5, micros: 1)) == expected)
            expected.minDecryptionVersion = 1
            expected.updatedAt = instant(6)
            #expect(try await store.setMinDecryptionVersion(name: "k", 1, now: instant(6)) == expected, "it may go back down")

            for minimum in [0, -1, 4] {
                let error = await #expect(throws: StorageError.self) {
                    _ = try await store.setMinDecryptionVersion(name: "k", minimum, now: instant(7))
                }
                #expect(error?.isConflict == true)
            }
            #expect(try await store.key(name: "k") == expected, "refused values change nothing")
            #expect(try await store.setMinDecryptionVersion(name: "missing", 1, now: instant(7)) == nil)
        }
    }

    @Test("names lists every key, sorted bytewise", arguments: BackendKind.available)
    func names(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.transitKeys
            #expect(try await store.names().isEmpty)
            for name in ["model-weights", "Zeta", "a_b", "ümlaut", "a", "model"] {
                try await store.create(transitKey(name))
            }
            #expect(try await store.names() == ["Zeta", "a", "a_b", "model", "model-weights", "ümlaut"])
        }
    }
}
