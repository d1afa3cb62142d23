import Foundation

/// One stored version of the policy document. The newest version is the active policy.
public struct StoredPolicy: Sendable, Equatable, Codable {
    /// 1, 2, 3... assigned by the store.
    public var version: Int
    /// The YAML text exactly as applied.
    public var document: String
    /// The name the document was applied from (a file name); used in `file:line` reasons.
    public var sourceName: String
    /// SHA-256 of `document`, hex.
    public var digest: String
    public var createdAt: Date
    /// The identity that applied it.
    public var createdBy: String
    /// A free note, e.g. "rollback to version 3".
    public var comment: String

    public init(version: Int, document: String, sourceName: String, digest: String, createdAt: Date, createdBy: String, comment: String) {
        self.version = version
        self.document = document
        self.sourceName = sourceName
        self.digest = digest
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.comment = comment
    }
}

/// Versioned policy documents. History is append-only: a rollback stores a new version.
public protocol PolicyStore: Sendable {
    /// The active (newest) version, or nil before the first apply.
    func latest() async throws -> StoredPolicy?
    /// Stores a new version numbered one above the newest and returns it.
    func append(document: String, sourceName: String, digest: String, createdBy: String, comment: String) async throws -> StoredPolicy
    /// A stored version, or nil.
    func version(_ version: Int) async throws -> StoredPolicy?
    /// Versions newest first, at most `limit`.
    func history(limit: Int) async throws -> [StoredPolicy]
}
