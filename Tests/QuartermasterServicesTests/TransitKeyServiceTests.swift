import Foundation
import QuartermasterCrypto
import QuartermasterServices
import QuartermasterStorage
import Testing

@Suite("Transit keys: versioned encryption as a service")
struct TransitKeyServiceTests {
    private func service(_ test: TestBackend) async throws -> TransitKeyService {
        TransitKeyService(store: test.backend.transitKeys, keyring: try await Fixtures.keyring(test.backend))
    }

    @Test("ciphertexts name their version; rotation keeps old versions decrypting; rewrap moves to the latest", arguments: BackendKind.available)
    func versions(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let transit = try await service(test)
        let name = try TransitKeyName("model-weights")
        _ = try await transit.create(name)
        let v1 = try await transit.encrypt(name, plaintext: Data("weights".utf8))
        #expect(v1.description.hasPrefix("qm:v1:"))
        _ = try await transit.rotate(name)
        let rotated = try await transit.rotate(name)
        #expect(rotated.latestVersion == 3)
        let v3 = try await transit.encrypt(name, plaintext: Data("weights".utf8))
        #expect(v3.version == 3)
        #expect(try await transit.decrypt(name, ciphertext: v1) == Data("weights".utf8))
        let rewrapped = try await transit.rewrap(name, ciphertext: v1)
        #expect(rewrapped.version == 3 && rewrapped != v3, "fresh nonce")
        #expect(try await transit.decrypt(name, ciphertext: rewrapped) == Data("weights".utf8))
        let stored = try #require(try await test.backend.transitKeys.key(name: name.value))
        #expect(!stored.versions.contains { $0.sealedKey.count == 32 }, "key material is stored sealed, never raw")
    }

    @Test("min_decryption_version refuses older ciphertexts; unknown versions, other keys' and altered ciphertexts are clear errors", arguments: BackendKind.available)
    func refusals(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let transit = try await service(test)
        let name = try TransitKeyName("weights"), other = try TransitKeyName("other")
        _ = try await transit.create(name)
        _ = try await transit.create(other)
        let v1 = try await transit.encrypt(name, plaintext: Data("x".utf8))
        _ = try await transit.rotate(name)
        _ = try await transit.setMinDecryptionVersion(name, 2)
        await #expect(throws: ServiceError.invalidInput("version 1 of transit key weights is below its min_decryption_version 2")) {
            _ = try await transit.decrypt(name, ciphertext: v1)
        }
        await #expect(throws: ServiceError.invalidInput("transit key weights has no version 9")) {
            _ = try await transit.decrypt(name, ciphertext: TransitCiphertext(version: 9, sealed: v1.sealed))
        }
        await #expect(throws: ServiceError.invalidInput("min_decryption_version must be between 1 and 2")) {
            _ = try await transit.setMinDecryptionVersion(name, 3)
        }
        let foreign = try await transit.encrypt(other, plaintext: Data("y".utf8))
        await #expect(throws: ServiceError.invalidInput(TransitError.cannotDecrypt.description)) {
            _ = try await transit.decrypt(name, ciphertext: TransitCiphertext(version: 2, sealed: foreign.sealed))
        }
        var altered = try await transit.encrypt(name, plaintext: Data("z".utf8)).sealed
        altered[altered.count - 1] ^= 0x01
        await #expect(throws: ServiceError.invalidInput(TransitError.cannotDecrypt.description)) {
            _ = try await transit.decrypt(name, ciphertext: TransitCiphertext(version: 2, sealed: altered))
        }
        await #expect(throws: ServiceError.conflict("transit key weights already exists")) {
            _ = try await transit.create(name)
        }
        await #expect(throws: ServiceError.notFound("transit key nope does not exist")) {
            _ = try await transit.encrypt(try TransitKeyName("nope"), plaintext: Data())
        }
    }

    @Test("ciphertext text forms other than qm:v<n>:<base64> and bad key names are refused")
    func malformed() {
        for text in ["", "qm:v1", "vault:v1:AAAA", "qm:v0:" + Data(count: 28).base64EncodedString(), "qm:v01:" + Data(count: 28).base64EncodedString(), "qm:v1:!!", "qm:v1:" + Data(count: 4).base64EncodedString()] {
            #expect(throws: TransitError.malformedCiphertext) { _ = try TransitCiphertext(parsing: text) }
        }
        for name in ["", "Upper", "../x", "a/b", "-lead", String(repeating: "a", count: 129)] {
            #expect(throws: ServiceError.self) { _ = try TransitKeyName(name) }
        }
    }
}
