import Foundation
import QuartermasterStorage
import Testing

func rootKey(_ id: String, created: Int64, retired: Int64? = nil) -> StoredRootKey {
    StoredRootKey(
        id: id, sealedKey: sealedBytes(UInt8(truncatingIfNeeded: id.utf8.count)) + Data(id.utf8),
        sealedBy: "awskms:arn:aws:kms:eu-west-1:111122223333:key/\(id)", createdAt: instant(created, micros: 77),
        retiredAt: retired.map { instant($0, micros: 1) })
}

/// Items sealed under root-1 and root-2 in every store, plus a destroyed secret version (see
/// `expectedItems`).
private func sealItems(_ backend: any StorageBackend) async throws {
    for (path, rootKeyIDs) in [("app/db", ["root-1", "root-2", "root-1"]), ("app/api", ["root-1"])] {
        for (index, rootKeyID) in rootKeyIDs.enumerated() {
            _ = try await backend.secrets.write(
                path: path, cas: index, maxVersions: 10, customMetadata: nil, now: instant(0),
                sealSecret(path, rootKeyID: rootKeyID))
        }
    }
    #expect(try await backend.secrets.destroy(path: "app/db", versions: [3]) == 1)
    try await backend.signingKeys.insert(signingKey(kid: "k1", signsFrom: 0))
    var second = signingKey(kid: "k2", signsFrom: 100)
    second.rootKeyID = "root-2"
    try await backend.signingKeys.insert(second)
    var transit = transitKey("tk")
    transit.versions.append(transitVersion(2, rootKeyID: "root-2"))
    transit.latestVersion = 2
    try await backend.transitKeys.create(transit)
}

/// Every item `sealItems` sealed that is still sealed, in the stores' stable order.
private let expectedItems = [
    RootSealedItem(
        kind: .secretDataKey, owner: "app/api", version: 1, sealed: secretVersion("app/api", 1).wrappedDataKey,
        rootKeyID: "root-1"),
    RootSealedItem(
        kind: .secretDataKey, owner: "app/db", version: 1, sealed: secretVersion("app/db", 1).wrappedDataKey,
        rootKeyID: "root-1"),
    RootSealedItem(
        kind: .secretDataKey, owner: "app/db", version: 2, sealed: secretVersion("app/db", 2).wrappedDataKey,
        rootKeyID: "root-2"),
    RootSealedItem(
        kind: .signingKey, owner: "k1", version: 0, sealed: signingKey(kid: "k1", signsFrom: 0).sealedPrivateKey,
        rootKeyID: "root-1"),
    RootSealedItem(
        kind: .signingKey, owner: "k2", version: 0, sealed: signingKey(kid: "k2", signsFrom: 100).sealedPrivateKey,
        rootKeyID: "root-2"),
    RootSealedItem(kind: .transitKey, owner: "tk", version: 1, sealed: transitVersion(1).sealedKey, rootKeyID: "root-1"),
    RootSealedItem(kind: .transitKey, owner: "tk", version: 2, sealed: transitVersion(2).sealedKey, rootKeyID: "root-2"),
]

@Suite("RootKeyStore contract")
struct RootKeyStoreTests {
    @Test("insert and all round-trip every field, by createdAt then id; an existing id is a conflict", arguments: BackendKind.available)
    func roundTrip(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.rootKeys
            #expect(try await store.all().isEmpty)
            let retired = rootKey("root-1", created: 0, retired: 50)
            let current = rootKey("root-2", created: 50)
            var tied = rootKey("root-0", created: 50)
            tied.sealedKey = Data()
            tied.sealedBy = "file"
            for key in [current, retired, tied] {
                try await store.insert(key)
            }
            #expect(try await store.all() == [retired, tied, current])

            let error = await #expect(throws: StorageError.self) {
                try await store.insert(rootKey("root-2", created: 99))
            }
            #expect(error?.isConflict == true)
            #expect(try await store.all() == [retired, tied, current], "the first key is kept")
        }
    }

    @Test("retire sets retiredAt only when unset; a missing id changes nothing", arguments: BackendKind.available)
    func retire(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.rootKeys
            var key = rootKey("root-1", created: 0)
            try await store.insert(key)
            try await store.retire(id: "root-1", at: instant(10, micros: 5))
            key.retiredAt = instant(10, micros: 5)
            #expect(try await store.all() == [key])
            try await store.retire(id: "root-1", at: instant(20))
            try await store.retire(id: "root-9", at: instant(20))
            #expect(try await store.all() == [key], "the first retirement is kept")
        }
    }

    @Test("items lists what other root keys seal in secrets, signing keys and transit keys, in a stable order", arguments: BackendKind.available)
    func items(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.rootKeys
            #expect(try await store.items(notSealedUnder: "root-2", limit: 100).isEmpty)
            try await sealItems(backend)

            #expect(try await store.items(notSealedUnder: "root-3", limit: 100) == expectedItems, "no destroyed version")
            #expect(try await store.items(notSealedUnder: "root-2", limit: 100) == expectedItems.filter { $0.rootKeyID == "root-1" })
            #expect(try await store.items(notSealedUnder: "root-1", limit: 100) == expectedItems.filter { $0.rootKeyID == "root-2" })
            #expect(try await store.items(notSealedUnder: "root-3", limit: 4) == Array(expectedItems.prefix(4)))
            #expect(try await store.items(notSealedUnder: "root-3", limit: 0).isEmpty)
        }
    }

    @Test("replace rewraps one item only while it is sealed as read (compare-and-swap)", arguments: BackendKind.available)
    func replace(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.rootKeys
            try await sealItems(backend)
            let stale = try await store.items(notSealedUnder: "root-3", limit: 100)
            for (index, item) in stale.enumerated() {
                let rewrapped = Data("rewrapped \(index)".utf8)
                #expect(try await store.replace(item, sealed: rewrapped, rootKeyID: "root-3"))
                #expect(try await store.replace(item, sealed: Data([1]), rootKeyID: "root-4") == false, "already replaced")
            }
            #expect(try await store.items(notSealedUnder: "root-3", limit: 100).isEmpty)

            // Each store reads the new bytes and root key; nothing else changed.
            let secret = try #require(try await backend.secrets.read(path: "app/db", version: 2))
            #expect(secret.wrappedDataKey == Data("rewrapped 2".utf8))
            #expect(secret.rootKeyID == "root-3")
            #expect(secret.sealedValue == secretVersion("app/db", 2).sealedValue)
            let destroyed = try #require(try await backend.secrets.read(path: "app/db", version: 3))
            #expect(destroyed.destroyed && destroyed.wrappedDataKey.isEmpty && destroyed.rootKeyID == "root-1")
            let keys = try await backend.signingKeys.all()
            #expect(keys.map(\.rootKeyID) == ["root-3", "root-3"])
            #expect(keys.map(\.sealedPrivateKey) == [Data("rewrapped 3".utf8), Data("rewrapped 4".utf8)])
            var expectedKey = signingKey(kid: "k1", signsFrom: 0)
            expectedKey.sealedPrivateKey = Data("rewrapped 3".utf8)
            expectedKey.rootKeyID = "root-3"
            #expect(keys.first == expectedKey)
            let transit = try #require(try await backend.transitKeys.key(name: "tk"))
            #expect(transit.versions.map(\.sealedKey) == [Data("rewrapped 5".utf8), Data("rewrapped 6".utf8)])
            #expect(transit.versions.map(\.rootKeyID) == ["root-3", "root-3"])

            // Refused: another root key id, other bytes, a destroyed version, a missing item.
            let current = try await store.items(notSealedUnder: "root-9", limit: 100)
            var otherRoot = current[0]
            otherRoot.rootKeyID = "root-1"
            var otherBytes = current[5]
            otherBytes.sealed = transitVersion(1).sealedKey
            let destroyedItem = RootSealedItem(kind: .secretDataKey, owner: "app/db", version: 3, sealed: Data(), rootKeyID: "root-1")
            let missing = RootSealedItem(kind: .signingKey, owner: "k9", version: 0, sealed: Data(), rootKeyID: "root-3")
            for item in [otherRoot, otherBytes, destroyedItem, missing] {
                #expect(try await store.replace(item, sealed: Data([9]), rootKeyID: "root-9") == false)
            }
            #expect(try await store.items(notSealedUnder: "root-9", limit: 100) == current)
        }
    }

    @Test("usage counts items per root key across the stores, without destroyed secret versions", arguments: BackendKind.available)
    func usage(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.rootKeys
            #expect(try await store.usage().isEmpty)
            try await sealItems(backend)
            #expect(try await store.usage() == ["root-1": 4, "root-2": 3])
            #expect(try await backend.secrets.destroy(path: "app/db", versions: [2]) == 1)
            try await backend.signingKeys.delete(kid: "k1")
            #expect(try await store.usage() == ["root-1": 3, "root-2": 2])
        }
    }

    @Test("delete refuses a root key that still seals items, deletes an unused one, false when missing", arguments: BackendKind.available)
    func delete(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.rootKeys
            let keys = [rootKey("root-1", created: 0), rootKey("root-2", created: 1), rootKey("root-3", created: 2)]
            for key in keys {
                try await store.insert(key)
            }
            try await sealItems(backend)

            for id in ["root-1", "root-2"] {
                let error = await #expect(throws: StorageError.self) {
                    _ = try await store.delete(id: id)
                }
                #expect(error?.isConflict == true)
            }
            #expect(try await store.all() == keys, "a refused delete changes nothing")
            #expect(try await store.delete(id: "root-3"))
            #expect(try await store.delete(id: "root-3") == false)
            #expect(try await store.delete(id: "never-existed") == false)

            // Rewrapping everything off root-2 frees it; a destroyed version does not hold it.
            #expect(try await backend.secrets.destroy(path: "app/db", versions: [2]) == 1)
            for item in try await store.items(notSealedUnder: "root-1", limit: 100) {
                #expect(try await store.replace(item, sealed: item.sealed, rootKeyID: "root-1"))
            }
            #expect(try await store.usage() == ["root-1": 6])
            #expect(try await store.delete(id: "root-2"))
            #expect(try await store.all() == [keys[0]])
        }
    }
}
