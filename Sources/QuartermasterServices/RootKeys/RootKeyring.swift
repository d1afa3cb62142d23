import Foundation
import QuartermasterCrypto
import QuartermasterStorage
import Synchronization

/// The root keyring: the keys that seal data keys, signing keys and transit keys. Each root
/// key is stored sealed by the seal (file, environment or AWS KMS) and opened at start. The
/// newest unretired key seals new items; older keys keep opening what they sealed until
/// `rewrap` moves those items to the active key, after which an unused old key is deleted.
public final class RootKeyring: Sendable {
    private struct State: Sendable {
        var keys: [String: KeyEncryptionKey]
        var activeID: String
    }

    private let store: any RootKeyStore
    private let seal: any RootKeySeal
    private let state: Mutex<State>

    private init(store: any RootKeyStore, seal: any RootKeySeal, state: State) {
        self.store = store
        self.seal = seal
        self.state = Mutex(state)
    }

    /// Opens every stored root key with the seal. On first start the keyring is created with
    /// `root-1`: `firstKey` when given (the local key that sealed data before the keyring
    /// existed, so that data still opens), otherwise fresh random bytes.
    public static func open(store: any RootKeyStore, seal: any RootKeySeal, firstKey: Data? = nil, now: Date = Date()) async throws -> RootKeyring {
        var stored = try await store.all()
        if stored.isEmpty {
            let bytes = firstKey ?? KeyEncryptionKey.generate().bytes
            let first = StoredRootKey(id: "root-1", sealedKey: try await seal.seal(bytes, context: "root-1"), sealedBy: seal.sealID, createdAt: now)
            do {
                try await store.insert(first)
            } catch StorageError.conflict {
                // Another replica created it first; use theirs.
            }
            stored = try await store.all()
        }
        return RootKeyring(store: store, seal: seal, state: try await load(stored, seal: seal))
    }

    /// The key that seals new items, and its id.
    public var active: (id: String, key: KeyEncryptionKey) {
        state.withLock { ($0.activeID, $0.keys[$0.activeID]!) }
    }

    /// The root key with this id; reloads the keyring once when the id is unknown (another
    /// replica may have rotated).
    public func key(id: String) async throws -> KeyEncryptionKey {
        if let key = state.withLock({ $0.keys[id] }) { return key }
        try await reload()
        guard let key = state.withLock({ $0.keys[id] }) else { throw RootKeyError.unknownRootKey(id) }
        return key
    }

    /// Re-reads the keyring from storage.
    public func reload() async throws {
        let loaded = try await Self.load(try await store.all(), seal: seal)
        state.withLock { $0 = loaded }
    }

    /// Creates the next root key, makes it active and retires the previous one. Returns its id.
    @discardableResult
    public func rotate(now: Date = Date()) async throws -> String {
        let stored = try await store.all()
        let next = (stored.compactMap { Int($0.id.dropFirst("root-".count)) }.max() ?? 0) + 1
        let id = "root-\(next)"
        let bytes = KeyEncryptionKey.generate().bytes
        try await store.insert(StoredRootKey(id: id, sealedKey: try await seal.seal(bytes, context: id), sealedBy: seal.sealID, createdAt: now))
        for key in stored where key.retiredAt == nil {
            try await store.retire(id: key.id, at: now)
        }
        try await reload()
        return id
    }

    /// Each root key with how many items it seals.
    public func status() async throws -> [RootKeyStatus] {
        let usage = try await store.usage()
        let activeID = active.id
        return try await store.all().map {
            RootKeyStatus(id: $0.id, sealedBy: $0.sealedBy, createdAt: $0.createdAt, retiredAt: $0.retiredAt, active: $0.id == activeID, itemsSealed: usage[$0.id] ?? 0)
        }
    }

    var rootKeyStore: any RootKeyStore { store }

    private static func load(_ stored: [StoredRootKey], seal: any RootKeySeal) async throws -> State {
        var keys: [String: KeyEncryptionKey] = [:]
        for root in stored {
            let bytes: Data
            do {
                bytes = try await seal.open(root.sealedKey, context: root.id)
            } catch {
                throw RootKeyError.cannotOpen(root.id, seal: seal.sealID, reason: "\(error)")
            }
            keys[root.id] = try KeyEncryptionKey(bytes: bytes)
        }
        let candidates = stored.filter { $0.retiredAt == nil }
        guard let active = (candidates.isEmpty ? stored : candidates).last else { throw RootKeyError.empty }
        return State(keys: keys, activeID: active.id)
    }
}

/// A root key as `keys root-status` shows it.
public struct RootKeyStatus: Sendable, Equatable, Codable {
    public var id: String
    public var sealedBy: String
    public var createdAt: Date
    public var retiredAt: Date?
    public var active: Bool
    public var itemsSealed: Int

    private enum CodingKeys: String, CodingKey {
        case id, active
        case sealedBy = "sealed_by", createdAt = "created_at", retiredAt = "retired_at", itemsSealed = "items_sealed"
    }
}

/// Root keyring failures; never carries key material.
public enum RootKeyError: Error, Equatable, CustomStringConvertible {
    case empty
    case unknownRootKey(String)
    case cannotOpen(String, seal: String, reason: String)

    public var description: String {
        switch self {
        case .empty: "the root keyring is empty"
        case .unknownRootKey(let id): "root key \(id) is not in the keyring"
        case .cannotOpen(let id, let seal, let reason): "root key \(id) does not open with seal \(seal): \(reason)"
        }
    }
}
