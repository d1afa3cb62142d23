import Foundation
import QuartermasterStorage
import Testing

@Suite("SigningKeyStore contract")
struct SigningKeyStoreTests {
    @Test("insert and all round-trip every field, ordered by signsFrom", arguments: BackendKind.available)
    func roundTripAndOrder(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.signingKeys
            #expect(try await store.all().isEmpty)
            let next = signingKey(kid: "k-next", signsFrom: 86_400, algorithm: "EdDSA")
            let current = signingKey(kid: "k-current", signsFrom: 0)
            let retired = signingKey(kid: "k-retired", signsFrom: -86_400, algorithm: "RS256")
            var tied = signingKey(kid: "k-a-tied", signsFrom: 0)
            tied.sealedPrivateKey = Data()
            for key in [next, current, retired, tied] {
                try await store.insert(key)
            }
            let all = try await store.all()
            #expect(all == [retired, tied, current, next], "signsFrom ascending, ties by kid")
            #expect(all[2].sealedPrivateKey == sealedBytes(UInt8("k-current".utf8.count)))
            #expect(all[1].sealedPrivateKey.isEmpty, "empty bytes stay empty bytes")
        }
    }

    @Test("rootKeyID round-trips through insert and update, root-1 by default", arguments: BackendKind.available)
    func rootKeyID(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.signingKeys
            let defaulted = signingKey(kid: "k1", signsFrom: 0)
            #expect(defaulted.rootKeyID == "root-1")
            var sealedUnderTwo = signingKey(kid: "k2", signsFrom: 10)
            sealedUnderTwo.rootKeyID = "root-2"
            try await store.insert(defaulted)
            try await store.insert(sealedUnderTwo)
            #expect(try await store.all() == [defaulted, sealedUnderTwo])

            var rewrapped = defaulted
            rewrapped.rootKeyID = "root-3"
            rewrapped.sealedPrivateKey = Data([7, 7, 7])
            try await store.update(rewrapped)
            #expect(try await store.all().map(\.rootKeyID) == ["root-3", "root-2"])
            #expect(try await store.all().first == rewrapped)
        }
    }

    @Test("inserting an existing kid is a conflict and changes nothing", arguments: BackendKind.available)
    func duplicateKid(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.signingKeys
            let original = signingKey(kid: "k1", signsFrom: 0)
            try await store.insert(original)
            var duplicate = signingKey(kid: "k1", signsFrom: 100, algorithm: "RS256")
            duplicate.sealedPrivateKey = Data([1, 2, 3])
            let error = await #expect(throws: StorageError.self) {
                try await store.insert(duplicate)
            }
            #expect(error?.isConflict == true)
            #expect(try await store.all() == [original])
        }
    }

    @Test("update replaces a key by kid; a missing kid is a conflict; delete removes", arguments: BackendKind.available)
    func updateAndDelete(kind: BackendKind) async throws {
        try await TestDatabase.withBackend(kind) { backend, _ in
            let store = backend.signingKeys
            let first = signingKey(kid: "k1", signsFrom: 0)
            let second = signingKey(kid: "k2", signsFrom: 3600)
            try await store.insert(first)
            try await store.insert(second)

            var retiring = first
            retiring.signsUntil = instant(7200, micros: 5)
            retiring.publishedUntil = instant(90_000)
            retiring.sealedPrivateKey = Data([0, 0xff, 0])
            retiring.publicJWK = #"{"kty":"EC","note":"ünïcödé ✓"}"#
            retiring.signsFrom = instant(4000)
            try await store.update(retiring)
            #expect(try await store.all() == [second, retiring], "the new signsFrom reorders")

            let missing = signingKey(kid: "k-missing", signsFrom: 0)
            let error = await #expect(throws: StorageError.self) {
                try await store.update(missing)
            }
            #expect(error == .conflict("no key k-missing"))
            #expect(try await store.all().count == 2, "update never inserts")

            try await store.delete(kid: "k2")
            #expect(try await store.all() == [retiring])
            try await store.delete(kid: "k2")
            try await store.delete(kid: "never-existed")
            #expect(try await store.all() == [retiring])
        }
    }
}
