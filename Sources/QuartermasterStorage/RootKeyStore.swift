import Foundation

/// One root key of the keyring: the key that wraps data keys, signing keys and transit keys.
/// Stored sealed by the seal (the root key file, an environment variable, or AWS KMS).
public struct StoredRootKey: Sendable, Equatable, Codable {
    /// Unique, such as "root-1", "root-2".
    public var id: String
    /// The key bytes sealed by the seal; opaque to storage.
    public var sealedKey: Data
    /// Which seal sealed it, such as "file" or "awskms:arn:aws:kms:...".
    public var sealedBy: String
    public var createdAt: Date
    /// Set when the key stopped sealing new items (a newer root key took over).
    public var retiredAt: Date?

    public init(id: String, sealedKey: Data, sealedBy: String, createdAt: Date, retiredAt: Date? = nil) {
        self.id = id
        self.sealedKey = sealedKey
        self.sealedBy = sealedBy
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }
}

/// Something sealed directly under a root key: a secret version's data key, a signing key's
/// private key, or a transit key version.
public struct RootSealedItem: Sendable, Equatable, Codable {
    /// Where the item lives.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case secretDataKey = "secret_data_key"
        case signingKey = "signing_key"
        case transitKey = "transit_key"
    }

    public var kind: Kind
    /// The secret path, the signing key's kid, or the transit key's name.
    public var owner: String
    /// The secret or transit key version; 0 for signing keys.
    public var version: Int
    /// The sealed bytes (wrapped data key, sealed private key, sealed transit key).
    public var sealed: Data
    public var rootKeyID: String

    public init(kind: Kind, owner: String, version: Int, sealed: Data, rootKeyID: String) {
        self.kind = kind
        self.owner = owner
        self.version = version
        self.sealed = sealed
        self.rootKeyID = rootKeyID
    }
}

/// The root keyring, and the view across stores of what each root key seals (for rewrap).
public protocol RootKeyStore: Sendable {
    /// Inserts a root key; throws `StorageError.conflict` when the id exists.
    func insert(_ key: StoredRootKey) async throws
    /// Every root key, by `createdAt` ascending (ties by id).
    func all() async throws -> [StoredRootKey]
    /// Sets `retiredAt` when not set; nothing happens when the id does not exist.
    func retire(id: String, at: Date) async throws
    /// Deletes a root key only when no item is sealed under it; returns whether it was deleted.
    /// Throws `StorageError.conflict` when items still use it.
    func delete(id: String) async throws -> Bool
    /// Items (secret versions not destroyed, signing keys, transit key versions) sealed under a
    /// root key other than `rootKeyID`, at most `limit`, in a stable order (kind, owner, version).
    func items(notSealedUnder rootKeyID: String, limit: Int) async throws -> [RootSealedItem]
    /// Replaces one item's sealed bytes and root key id, only when it is still sealed under
    /// `item.rootKeyID` with the same bytes (compare-and-swap); returns whether it changed.
    func replace(_ item: RootSealedItem, sealed: Data, rootKeyID: String) async throws -> Bool
    /// How many items each root key id seals (ids with none are absent).
    func usage() async throws -> [String: Int]
}
