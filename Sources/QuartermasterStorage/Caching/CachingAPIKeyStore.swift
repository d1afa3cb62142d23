import Foundation

/// An `APIKeyStore` that answers `find` from memory after the first read. Every change
/// through this store invalidates the key it touches.
struct CachingAPIKeyStore: APIKeyStore {
    private let base: any APIKeyStore
    private let cache = ReadCache<String, StoredAPIKey>(capacity: 10_000)

    init(_ base: any APIKeyStore) {
        self.base = base
    }

    func insert(_ key: StoredAPIKey) async throws {
        defer { cache.invalidate(key.id) }
        try await base.insert(key)
    }

    func find(id: String) async throws -> StoredAPIKey? {
        try await cache.value(for: id) { try await base.find(id: id) }
    }

    func list(identity: String?) async throws -> [StoredAPIKey] {
        try await base.list(identity: identity)
    }

    func update(_ key: StoredAPIKey) async throws {
        defer { cache.invalidate(key.id) }
        try await base.update(key)
    }

    func touch(id: String, at time: Date) async throws {
        defer { cache.invalidate(id) }
        try await base.touch(id: id, at: time)
    }
}
