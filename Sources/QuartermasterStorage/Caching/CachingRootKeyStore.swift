import Foundation

/// A `RootKeyStore` that invalidates a secret path in `CachingSecretStore`'s cache when
/// rewrap replaces the data key of one of its versions.
struct CachingRootKeyStore: RootKeyStore {
    private let base: any RootKeyStore
    private let secrets: CachingSecretStore

    init(_ base: any RootKeyStore, secrets: CachingSecretStore) {
        self.base = base
        self.secrets = secrets
    }

    func insert(_ key: StoredRootKey) async throws {
        try await base.insert(key)
    }

    func all() async throws -> [StoredRootKey] {
        try await base.all()
    }

    func retire(id: String, at: Date) async throws {
        try await base.retire(id: id, at: at)
    }

    func delete(id: String) async throws -> Bool {
        try await base.delete(id: id)
    }

    func items(notSealedUnder rootKeyID: String, limit: Int) async throws -> [RootSealedItem] {
        try await base.items(notSealedUnder: rootKeyID, limit: limit)
    }

    func replace(_ item: RootSealedItem, sealed: Data, rootKeyID: String) async throws -> Bool {
        defer { if item.kind == .secretDataKey { secrets.cache.invalidate(item.owner) } }
        return try await base.replace(item, sealed: sealed, rootKeyID: rootKeyID)
    }

    func usage() async throws -> [String: Int] {
        try await base.usage()
    }
}
