import Foundation

/// One key of the issuer's signing key ring. The private key arrives already sealed
/// (envelope-encrypted by the caller) and is stored as opaque bytes.
///
/// A key's life: published in the JWKS from `createdAt`, signs from `signsFrom` until
/// `signsUntil`, and leaves the JWKS after `publishedUntil`.
public struct StoredSigningKey: Sendable, Equatable, Codable {
    /// Key id (`kid`), unique.
    public var kid: String
    /// "ES256", "EdDSA" or "RS256" (not checked by storage).
    public var algorithm: String
    /// The private key, encrypted by the caller; stored as bytes (BLOB / BYTEA), never read by storage.
    public var sealedPrivateKey: Data
    /// The public key as a JWK, JSON text.
    public var publicJWK: String
    public var createdAt: Date
    /// Published before this instant; may sign from it on.
    public var signsFrom: Date
    /// Stops signing at this instant.
    public var signsUntil: Date
    /// Removed from the JWKS after this instant.
    public var publishedUntil: Date
    /// Which root key sealed `sealedPrivateKey`. Keys stored before root key ids existed
    /// read as "root-1".
    public var rootKeyID: String

    public init(kid: String, algorithm: String, sealedPrivateKey: Data, publicJWK: String, createdAt: Date, signsFrom: Date, signsUntil: Date, publishedUntil: Date, rootKeyID: String = "root-1") {
        self.kid = kid
        self.algorithm = algorithm
        self.sealedPrivateKey = sealedPrivateKey
        self.publicJWK = publicJWK
        self.createdAt = createdAt
        self.signsFrom = signsFrom
        self.signsUntil = signsUntil
        self.publishedUntil = publishedUntil
        self.rootKeyID = rootKeyID
    }
}

/// The issuer's signing keys. Instants are kept at microsecond precision.
public protocol SigningKeyStore: Sendable {
    /// Inserts a key; throws `StorageError.conflict` when the kid exists.
    func insert(_ key: StoredSigningKey) async throws
    /// Every key, by `signsFrom` ascending (ties by kid).
    func all() async throws -> [StoredSigningKey]
    /// Replaces the key with the same kid; throws `StorageError.conflict("no key KID")` when
    /// there is none.
    func update(_ key: StoredSigningKey) async throws
    /// Deletes the key with this kid; nothing happens when there is none.
    func delete(kid: String) async throws
}
