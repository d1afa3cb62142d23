import Foundation
import QuartermasterCrypto
import QuartermasterStorage

/// Versioned secrets, sealed with envelope encryption (a data key per version, wrapped by
/// the root key; path and version bound as associated data).
public struct SecretService: Sendable {
    /// The largest value accepted, in bytes of its JSON encoding.
    public static let maxValueBytes = 64 * 1024
    /// Versions kept per path unless the caller asks otherwise.
    public static let defaultMaxVersions = 10

    private let store: any SecretStore
    private let keyring: RootKeyring
    private let dataKeys = DataKeyCache()

    /// New versions are sealed under the keyring's active root key; each version opens with
    /// the root key it names.
    public init(store: any SecretStore, keyring: RootKeyring) {
        self.store = store
        self.keyring = keyring
    }

    /// A decrypted version.
    public struct Value: Sendable {
        public var version: StoredSecretVersion
        public var data: [String: String]
        public var metadata: StoredSecretMetadata
    }

    /// Stores `data` as the next version. `cas` as in Vault KV v2.
    @discardableResult
    public func put(_ path: SecretPath, data: [String: String], cas: Int?, customMetadata: [String: String]?, now: Date = Date()) async throws -> StoredSecretVersion {
        let plaintext = try JSONEncoder().encode(data)
        guard plaintext.count <= Self.maxValueBytes else { throw SecretError.tooLarge(Self.maxValueBytes) }
        let (rootKeyID, rootKey) = keyring.active
        do {
            return try await store.write(path: path.value, cas: cas, maxVersions: Self.defaultMaxVersions, customMetadata: customMetadata, now: now) { version in
                let sealed = try EnvelopeCipher.seal(plaintext, context: Self.context(path.value, version), rootKey: rootKey)
                return StoredSecretVersion(path: path.value, version: version, sealedValue: sealed.sealedValue, wrappedDataKey: sealed.wrappedDataKey, rootKeyID: rootKeyID, createdAt: now, deletedAt: nil, destroyed: false)
            }
        } catch StorageError.conflict(let detail) {
            throw ServiceError.conflict("check-and-set failed: \(detail)")
        }
    }

    /// Reads and decrypts a version (nil = current). Deleted and destroyed versions are not found.
    public func get(_ path: SecretPath, version: Int?) async throws -> Value {
        guard let (metadata, stored) = try await store.readWithMetadata(path: path.value, version: version) else {
            throw ServiceError.notFound(version.map { "secret \(path) has no version \($0)" } ?? "secret \(path) does not exist")
        }
        guard stored.deletedAt == nil, !stored.destroyed else {
            throw ServiceError.notFound("secret \(path) version \(stored.version) is \(stored.destroyed ? "destroyed" : "deleted")")
        }
        let plaintext: Data
        do {
            let rootKey = try await keyring.key(id: stored.rootKeyID)
            let context = Self.context(path.value, stored.version)
            let dataKey = try dataKeys.key(rootKeyID: stored.rootKeyID, context: context, wrappedDataKey: stored.wrappedDataKey) { () throws(KeyEncryptionKeyError) in
                try EnvelopeCipher.unwrapDataKey(stored.wrappedDataKey, context: context, rootKey: rootKey)
            }
            plaintext = try EnvelopeCipher.open(sealedValue: stored.sealedValue, context: context, dataKey: dataKey)
        } catch {
            throw SecretError.undecryptable(path: path.value, version: stored.version)
        }
        guard let data = Self.stringMap(plaintext) else {
            throw SecretError.undecryptable(path: path.value, version: stored.version)
        }
        return Value(version: stored, data: data, metadata: metadata)
    }

    /// A stored value's JSON object of strings, or nil when it is not one. `JSONSerialization`
    /// rather than `JSONDecoder`: on every read, Codable's generic dictionary decoding costs
    /// about 4% of a read's CPU, several times the parse itself.
    private static func stringMap(_ json: Data) -> [String: String]? {
        guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any] else { return nil }
        var map: [String: String] = [:]
        map.reserveCapacity(object.count)
        for (key, value) in object {
            guard let text = value as? String else { return nil }
            map[key] = text
        }
        return map
    }

    /// Immediate children of a folder.
    public func list(_ folder: SecretPath?) async throws -> [String] {
        try await store.list(prefix: folder.map { $0.value + "/" } ?? "")
    }

    /// Every version's state (no values).
    public func history(_ path: SecretPath) async throws -> (StoredSecretMetadata, [StoredSecretVersion]) {
        guard let metadata = try await store.metadata(path: path.value) else { throw ServiceError.notFound("secret \(path) does not exist") }
        return (metadata, try await store.versions(path: path.value))
    }

    /// Soft-deletes versions (default: the current one).
    public func delete(_ path: SecretPath, versions: [Int]?, now: Date = Date()) async throws -> Int {
        try await store.softDelete(path: path.value, versions: try await resolve(path, versions), at: now)
    }

    /// Restores soft-deleted versions.
    public func undelete(_ path: SecretPath, versions: [Int]) async throws -> Int {
        try await store.undelete(path: path.value, versions: versions)
    }

    /// Destroys versions for good.
    public func destroy(_ path: SecretPath, versions: [Int]) async throws -> Int {
        try await store.destroy(path: path.value, versions: versions)
    }

    private func resolve(_ path: SecretPath, _ versions: [Int]?) async throws -> [Int] {
        if let versions { return versions }
        guard let metadata = try await store.metadata(path: path.value) else { throw ServiceError.notFound("secret \(path) does not exist") }
        return [metadata.currentVersion]
    }

    static func context(_ path: String, _ version: Int) -> String { "secret/\(path)#\(version)" }
}

/// Secret failures the HTTP layer maps to their own statuses.
public enum SecretError: Error, Equatable, CustomStringConvertible {
    /// HTTP 413.
    case tooLarge(Int)
    /// The stored row does not open: altered in storage, or sealed under another root key.
    case undecryptable(path: String, version: Int)

    public var description: String {
        switch self {
        case .tooLarge(let limit): "the secret value exceeds \(limit) bytes"
        case .undecryptable(let path, let version): "secret \(path) version \(version) does not decrypt: the stored row was altered or sealed under another root key"
        }
    }
}
