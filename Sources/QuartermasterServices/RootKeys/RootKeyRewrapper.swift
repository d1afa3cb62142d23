import Foundation
import QuartermasterCrypto
import QuartermasterStorage

/// Moves everything sealed under older root keys to the active one, a batch at a time, and
/// deletes an old root key once nothing uses it. Each item is opened with its old key and
/// sealed again under the active key with the same associated data, then swapped in with a
/// compare-and-swap, so a concurrent write or rewrap is never overwritten.
public struct RootKeyRewrapper: Sendable {
    /// What one batch did and what is left.
    public struct Progress: Sendable, Equatable, Codable {
        public var rewrapped: Int
        public var remaining: Int
        public var activeRootKey: String
        public var deletedRootKeys: [String]

        private enum CodingKeys: String, CodingKey {
            case rewrapped, remaining
            case activeRootKey = "active_root_key", deletedRootKeys = "deleted_root_keys"
        }
    }

    private let keyring: RootKeyring
    private let signingKeys: any SigningKeyStore

    public init(keyring: RootKeyring, signingKeys: any SigningKeyStore) {
        self.keyring = keyring
        self.signingKeys = signingKeys
    }

    /// Rewraps at most `limit` items; when none are left, deletes retired root keys that seal nothing.
    public func rewrapBatch(limit: Int = 100) async throws -> Progress {
        let store = keyring.rootKeyStore
        let (activeID, activeKey) = keyring.active
        let items = try await store.items(notSealedUnder: activeID, limit: limit)
        let algorithms = items.contains { $0.kind == .signingKey }
            ? Dictionary(try await signingKeys.all().map { ($0.kid, $0.algorithm) }, uniquingKeysWith: { first, _ in first })
            : [:]
        var rewrapped = 0
        for item in items {
            let context = try Self.context(of: item, algorithms: algorithms)
            let oldKey = try await keyring.key(id: item.rootKeyID)
            let plaintext = try oldKey.open(item.sealed, context: context)
            if try await store.replace(item, sealed: try activeKey.seal(plaintext, context: context), rootKeyID: activeID) {
                rewrapped += 1
            }
        }
        let usage = try await store.usage()
        let remaining = usage.filter { $0.key != activeID }.values.reduce(0, +)
        var deleted: [String] = []
        if remaining == 0 {
            for root in try await store.all() where root.id != activeID && root.retiredAt != nil && usage[root.id, default: 0] == 0 {
                if try await store.delete(id: root.id) { deleted.append(root.id) }
            }
            if !deleted.isEmpty { try await keyring.reload() }
        }
        return Progress(rewrapped: rewrapped, remaining: remaining, activeRootKey: activeID, deletedRootKeys: deleted)
    }

    /// The associated data the item was sealed with, as each owner seals it.
    static func context(of item: RootSealedItem, algorithms: [String: String]) throws -> String {
        switch item.kind {
        case .secretDataKey:
            return EnvelopeCipher.dataKeyContext(SecretService.context(item.owner, item.version))
        case .transitKey:
            return TransitKeyService.sealContext(name: item.owner, version: item.version)
        case .signingKey:
            guard let algorithm = algorithms[item.owner] else { throw ServiceError.conflict("signing key \(item.owner) vanished during rewrap") }
            return SigningKeyMaterial.sealContext(kid: item.owner, algorithm: algorithm)
        }
    }
}
