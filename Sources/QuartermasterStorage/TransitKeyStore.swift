import Foundation

/// One version of a transit key: the key bytes sealed by the caller under a root key.
public struct StoredTransitKeyVersion: Sendable, Equatable, Codable {
    /// 1, 2, 3... per key.
    public var version: Int
    /// The key material sealed by the caller; stored as bytes, never read by storage.
    public var sealedKey: Data
    /// Which root key sealed `sealedKey`.
    public var rootKeyID: String
    public var createdAt: Date

    public init(version: Int, sealedKey: Data, rootKeyID: String, createdAt: Date) {
        self.version = version
        self.sealedKey = sealedKey
        self.rootKeyID = rootKeyID
        self.createdAt = createdAt
    }
}

/// A named transit (encryption-as-a-service) key with all its versions.
public struct StoredTransitKey: Sendable, Equatable, Codable {
    /// Unique, such as "model-weights".
    public var name: String
    /// The newest version; encryption uses it.
    public var latestVersion: Int
    /// Ciphertexts of older versions are refused.
    public var minDecryptionVersion: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// Ascending by version.
    public var versions: [StoredTransitKeyVersion]

    public init(name: String, latestVersion: Int, minDecryptionVersion: Int, createdAt: Date, updatedAt: Date, versions: [StoredTransitKeyVersion]) {
        self.name = name
        self.latestVersion = latestVersion
        self.minDecryptionVersion = minDecryptionVersion
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.versions = versions
    }
}

/// Transit keys. Instants are kept at microsecond precision.
public protocol TransitKeyStore: Sendable {
    /// Creates a key with its versions (normally just version 1); throws
    /// `StorageError.conflict` when the name exists.
    func create(_ key: StoredTransitKey) async throws
    /// The key with every version, or nil.
    func key(name: String) async throws -> StoredTransitKey?
    /// Appends a version when the key's latest version is `version.version - 1` and makes it
    /// the latest (updating `updatedAt` to `now`); throws `StorageError.conflict` when the key
    /// does not exist or another rotation got there first. Returns the key as stored.
    func addVersion(name: String, _ version: StoredTransitKeyVersion, now: Date) async throws -> StoredTransitKey
    /// Sets `minDecryptionVersion` (1...latestVersion, else `StorageError.conflict`); returns
    /// the key as stored, or nil when it does not exist.
    func setMinDecryptionVersion(name: String, _ minimum: Int, now: Date) async throws -> StoredTransitKey?
    /// Every key name, sorted bytewise.
    func names() async throws -> [String]
}
