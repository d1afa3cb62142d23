import Foundation
import QuartermasterCrypto
import QuartermasterStorage

/// Encryption as a service with named, versioned keys (Vault's transit engine). Key material
/// never leaves the server: each version is sealed under the root keyring; ciphertexts name
/// the version that sealed them (`qm:v3:...`), and versions below `min_decryption_version`
/// are refused.
public struct TransitKeyService: Sendable {
    /// The largest plaintext accepted, in bytes.
    public static let maxPlaintextBytes = 1 << 20

    private let store: any TransitKeyStore
    private let keyring: RootKeyring

    public init(store: any TransitKeyStore, keyring: RootKeyring) {
        self.store = store
        self.keyring = keyring
    }

    /// The associated data binding a sealed transit key version to its name and version.
    public static func sealContext(name: String, version: Int) -> String { "transit-key:\(name)#\(version)" }

    /// Creates a key at version 1; `ServiceError.conflict` when it exists.
    public func create(_ name: TransitKeyName, now: Date = Date()) async throws -> StoredTransitKey {
        let key = StoredTransitKey(name: name.value, latestVersion: 1, minDecryptionVersion: 1, createdAt: now, updatedAt: now, versions: [try newVersion(name, 1, now: now)])
        do {
            try await store.create(key)
        } catch StorageError.conflict {
            throw ServiceError.conflict("transit key \(name) already exists")
        }
        return key
    }

    /// Adds the next version and makes it the one that encrypts.
    public func rotate(_ name: TransitKeyName, now: Date = Date()) async throws -> StoredTransitKey {
        for _ in 0..<5 {
            let current = try await key(name)
            do {
                return try await store.addVersion(name: name.value, try newVersion(name, current.latestVersion + 1, now: now), now: now)
            } catch StorageError.conflict {
                continue
            }
        }
        throw ServiceError.conflict("transit key \(name) is being rotated concurrently; try again")
    }

    /// Sets the oldest version that may still decrypt.
    public func setMinDecryptionVersion(_ name: TransitKeyName, _ minimum: Int, now: Date = Date()) async throws -> StoredTransitKey {
        let current = try await key(name)
        guard (1...current.latestVersion).contains(minimum) else {
            throw ServiceError.invalidInput("min_decryption_version must be between 1 and \(current.latestVersion)")
        }
        guard let updated = try await store.setMinDecryptionVersion(name: name.value, minimum, now: now) else {
            throw ServiceError.notFound("transit key \(name) does not exist")
        }
        return updated
    }

    /// The key's metadata and versions (never the material).
    public func key(_ name: TransitKeyName) async throws -> StoredTransitKey {
        guard let key = try await store.key(name: name.value) else { throw ServiceError.notFound("transit key \(name) does not exist") }
        return key
    }

    /// Every key name.
    public func names() async throws -> [String] {
        try await store.names()
    }

    /// Seals `plaintext` under the latest version.
    public func encrypt(_ name: TransitKeyName, plaintext: Data) async throws -> TransitCiphertext {
        guard plaintext.count <= Self.maxPlaintextBytes else { throw SecretError.tooLarge(Self.maxPlaintextBytes) }
        let key = try await key(name)
        return try await cipher(key, version: key.latestVersion).encrypt(plaintext)
    }

    /// Opens a ciphertext of this key; refuses versions the key does not have or no longer
    /// decrypts, and ciphertexts of other keys or altered ones.
    public func decrypt(_ name: TransitKeyName, ciphertext: TransitCiphertext) async throws -> Data {
        let key = try await key(name)
        try Self.checkDecryptable(ciphertext.version, of: key)
        do {
            return try await cipher(key, version: ciphertext.version).decrypt(ciphertext)
        } catch let error as TransitError {
            throw ServiceError.invalidInput("\(error)")
        }
    }

    /// Re-encrypts a ciphertext under the latest version without revealing the plaintext.
    public func rewrap(_ name: TransitKeyName, ciphertext: TransitCiphertext) async throws -> TransitCiphertext {
        let plaintext = try await decrypt(name, ciphertext: ciphertext)
        return try await encrypt(name, plaintext: plaintext)
    }

    /// Throws when `version` is not one the key may decrypt with.
    public static func checkDecryptable(_ version: Int, of key: StoredTransitKey) throws(ServiceError) {
        guard version <= key.latestVersion else {
            throw .invalidInput("transit key \(key.name) has no version \(version)")
        }
        guard version >= key.minDecryptionVersion else {
            throw .invalidInput("version \(version) of transit key \(key.name) is below its min_decryption_version \(key.minDecryptionVersion)")
        }
    }

    private func cipher(_ key: StoredTransitKey, version: Int) async throws -> TransitCipher {
        guard let stored = key.versions.first(where: { $0.version == version }) else {
            throw ServiceError.invalidInput("transit key \(key.name) has no version \(version)")
        }
        let rootKey = try await keyring.key(id: stored.rootKeyID)
        let bytes: Data
        do {
            bytes = try rootKey.open(stored.sealedKey, context: Self.sealContext(name: key.name, version: version))
        } catch {
            throw ServiceError.unavailable("transit key \(key.name) version \(version) does not open: the stored row was altered")
        }
        return try TransitCipher(keyName: key.name, version: version, keyBytes: bytes)
    }

    private func newVersion(_ name: TransitKeyName, _ version: Int, now: Date) throws -> StoredTransitKeyVersion {
        let (rootKeyID, rootKey) = keyring.active
        let sealed = try rootKey.seal(TransitCipher.generateKeyBytes(), context: Self.sealContext(name: name.value, version: version))
        return StoredTransitKeyVersion(version: version, sealedKey: sealed, rootKeyID: rootKeyID, createdAt: now)
    }
}
