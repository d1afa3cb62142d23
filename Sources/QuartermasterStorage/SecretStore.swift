import Foundation

/// One stored version of a secret. The value is sealed by the caller (envelope encryption):
/// storage keeps opaque bytes and never reads them.
public struct StoredSecretVersion: Sendable, Equatable, Codable {
    /// The secret's path, such as "gateway/proxy-auth/upstream" (no leading "secret/").
    public var path: String
    /// 1, 2, 3... per path.
    public var version: Int
    /// The ciphertext; empty once destroyed. Stored as bytes (BLOB / BYTEA).
    public var sealedValue: Data
    /// The data key wrapped by the root key; empty once destroyed.
    public var wrappedDataKey: Data
    /// Which root key wrapped `wrappedDataKey`.
    public var rootKeyID: String
    public var createdAt: Date
    /// Set by a soft delete, cleared by undelete.
    public var deletedAt: Date?
    /// True once destroyed: the value and data key are gone for good.
    public var destroyed: Bool

    public init(path: String, version: Int, sealedValue: Data, wrappedDataKey: Data, rootKeyID: String, createdAt: Date, deletedAt: Date? = nil, destroyed: Bool = false) {
        self.path = path
        self.version = version
        self.sealedValue = sealedValue
        self.wrappedDataKey = wrappedDataKey
        self.rootKeyID = rootKeyID
        self.createdAt = createdAt
        self.deletedAt = deletedAt
        self.destroyed = destroyed
    }
}

/// What storage knows about a secret path as a whole.
public struct StoredSecretMetadata: Sendable, Equatable, Codable {
    public var path: String
    /// The newest version.
    public var currentVersion: Int
    /// The oldest version still stored (older ones were pruned to `maxVersions`).
    public var oldestVersion: Int
    /// How many versions the last write asked to keep.
    public var maxVersions: Int
    /// Caller-defined key-value pairs; stored as JSON text.
    public var customMetadata: [String: String]
    public var createdAt: Date
    /// The time of the last write.
    public var updatedAt: Date

    public init(path: String, currentVersion: Int, oldestVersion: Int, maxVersions: Int, customMetadata: [String: String] = [:], createdAt: Date, updatedAt: Date) {
        self.path = path
        self.currentVersion = currentVersion
        self.oldestVersion = oldestVersion
        self.maxVersions = maxVersions
        self.customMetadata = customMetadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Versioned secrets, sealed by the caller. Instants are kept at microsecond precision.
public protocol SecretStore: Sendable {
    /// Writes version (current + 1) atomically and returns it as stored.
    ///
    /// - `cas`: nil writes unconditionally; 0 writes only when the path has no version; n
    ///   writes only when the current version is n. Otherwise throws
    ///   `StorageError.conflict("cas ...")` and writes nothing.
    /// - `maxVersions`: keeps at most this many versions (at least 1), deleting the oldest
    ///   beyond it and moving `oldestVersion`; the value is recorded in the metadata.
    /// - `customMetadata`: replaces the path's custom metadata; nil leaves it unchanged.
    /// - `now`: the metadata's `updatedAt` (and `createdAt` on the first write).
    /// - `seal`: receives the new version number and returns the row to insert, so the caller
    ///   can bind the version into the ciphertext's associated data. Its `path` and `version`
    ///   must be the ones asked for (otherwise `StorageError.conflict`); an error it throws
    ///   reaches the caller unchanged and nothing is written.
    func write(path: String, cas: Int?, maxVersions: Int, customMetadata: [String: String]?, now: Date, _ seal: @Sendable (Int) throws -> StoredSecretVersion) async throws -> StoredSecretVersion
    /// A version (nil = current), or nil when the path or version does not exist (a pruned
    /// version does not exist). Soft-deleted and destroyed versions are returned as stored.
    func read(path: String, version: Int?) async throws -> StoredSecretVersion?
    /// The path's metadata, or nil when the path has never been written.
    func metadata(path: String) async throws -> StoredSecretMetadata?
    /// `read(path:version:)` and `metadata(path:)` in one round trip, from one snapshot; nil
    /// when either is nil.
    func readWithMetadata(path: String, version: Int?) async throws -> (metadata: StoredSecretMetadata, version: StoredSecretVersion)?
    /// All stored versions of a path, ascending (for history).
    func versions(path: String) async throws -> [StoredSecretVersion]
    /// Immediate children of a folder, Vault-style: `list(prefix: "gateway/")` gives
    /// `["jwt-keys/", "proxy-auth/", "token"]` (folders end with "/"), sorted bytewise. Prefix
    /// "" lists the top level; a non-empty prefix without a trailing "/" names the same folder
    /// as with one. The prefix is matched literally (no wildcards).
    func list(prefix: String) async throws -> [String]
    /// Soft-deletes the given versions (sets `deletedAt` where not set); returns how many changed.
    func softDelete(path: String, versions: [Int], at: Date) async throws -> Int
    /// Clears `deletedAt` for the given versions that are not destroyed; returns how many changed.
    func undelete(path: String, versions: [Int]) async throws -> Int
    /// Destroys versions: empties `sealedValue` and `wrappedDataKey` and sets `destroyed`;
    /// returns how many changed (already destroyed ones do not count).
    func destroy(path: String, versions: [Int]) async throws -> Int
}
