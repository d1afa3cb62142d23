import Foundation
import QuartermasterCrypto
import QuartermasterServices
import QuartermasterStorage
import Testing

@Suite("Root keyring: rotation, rewrap, retirement")
struct RootKeyringTests {
    @Test("after rotation new items use the new key, old ones still open, and rewrap moves everything then deletes the unused old key", arguments: BackendKind.available)
    func rotateAndRewrap(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let seal = LocalRootKeySeal(key: KeyEncryptionKey.generate().key, source: "test")
        let keyring = try await RootKeyring.open(store: test.backend.rootKeys, seal: seal)
        #expect(keyring.active.id == "root-1")
        let secrets = SecretService(store: test.backend.secrets, keyring: keyring)
        let transit = TransitKeyService(store: test.backend.transitKeys, keyring: keyring)
        let signing = KeyRing(store: test.backend.signingKeys, rootKeys: keyring, settings: IssuerSettings(issuer: "https://qm.test"))
        try await signing.maintain()
        let path = try SecretPath(raw: "db/password")
        for index in 1...3 {
            try await secrets.put(path, data: ["v": "\(index)"], cas: nil, customMetadata: nil)
        }
        let name = try TransitKeyName("weights")
        _ = try await transit.create(name)
        let sealedBefore = try await transit.encrypt(name, plaintext: Data("model".utf8))

        #expect(try await keyring.rotate() == "root-2")
        try await secrets.put(path, data: ["v": "4"], cas: nil, customMetadata: nil)
        #expect(try await test.backend.secrets.read(path: path.value, version: 4)?.rootKeyID == "root-2")
        #expect(try await secrets.get(path, version: 1).data == ["v": "1"], "versions under root-1 still open")
        let usage = Dictionary(uniqueKeysWithValues: try await keyring.status().map { ($0.id, $0.itemsSealed) })
        #expect(usage == ["root-1": 5, "root-2": 1], "3 secret versions, 1 signing key, 1 transit version under root-1")

        let rewrapper = RootKeyRewrapper(keyring: keyring, signingKeys: test.backend.signingKeys)
        let first = try await rewrapper.rewrapBatch(limit: 2)
        #expect(first.rewrapped == 2 && first.remaining == 3 && first.deletedRootKeys.isEmpty)
        let second = try await rewrapper.rewrapBatch(limit: 10)
        #expect(second.rewrapped == 3 && second.remaining == 0 && second.deletedRootKeys == ["root-1"])
        #expect(try await keyring.status().map(\.id) == ["root-2"])

        #expect(try await secrets.get(path, version: 1).data == ["v": "1"])
        #expect(String(decoding: try await transit.decrypt(name, ciphertext: sealedBefore), as: UTF8.self) == "model")
        let restarted = try await RootKeyring.open(store: test.backend.rootKeys, seal: seal)
        let reloaded = KeyRing(store: test.backend.signingKeys, rootKeys: restarted, settings: IssuerSettings(issuer: "https://qm.test"))
        try await reloaded.maintain()
        #expect(reloaded.entries.map(\.stored.kid) == signing.entries.map(\.stored.kid), "signing keys load after a restart under the new root key")
    }

    @Test("the first root key of a local seal is the seal key itself, so data sealed by earlier releases opens")
    func legacyFirstKey() async throws {
        let test = try await TestBackend.make(.sqlite)
        defer { Task { try await test.cleanup() } }
        let (fileKey, bytes) = KeyEncryptionKey.generate()
        let keyring = try await RootKeyring.open(store: test.backend.rootKeys, seal: LocalRootKeySeal(key: fileKey, source: "file"), firstKey: bytes)
        let sealed = try fileKey.seal(Data("legacy".utf8), context: "c")
        #expect(try keyring.active.key.open(sealed, context: "c") == Data("legacy".utf8))
    }

    @Test("a keyring does not open with another seal key, and says which root key failed")
    func wrongSeal() async throws {
        let test = try await TestBackend.make(.sqlite)
        defer { Task { try await test.cleanup() } }
        _ = try await RootKeyring.open(store: test.backend.rootKeys, seal: LocalRootKeySeal(key: KeyEncryptionKey.generate().key, source: "file"))
        await #expect {
            _ = try await RootKeyring.open(store: test.backend.rootKeys, seal: LocalRootKeySeal(key: KeyEncryptionKey.generate().key, source: "file"))
        } throws: { error in
            "\(error)".hasPrefix("root key root-1 does not open with seal file")
        }
    }
}
