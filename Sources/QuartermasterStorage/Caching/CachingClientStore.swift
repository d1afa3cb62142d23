import Foundation

/// A `ClientStore` that answers `find` from memory after the first read. Every change
/// through this store invalidates the client it touches.
struct CachingClientStore: ClientStore {
    private let base: any ClientStore
    private let cache = ReadCache<String, StoredClient>(capacity: 10_000)

    init(_ base: any ClientStore) {
        self.base = base
    }

    func insert(_ client: StoredClient) async throws {
        defer { cache.invalidate(client.clientID) }
        try await base.insert(client)
    }

    func find(clientID: String) async throws -> StoredClient? {
        try await cache.value(for: clientID) { try await base.find(clientID: clientID) }
    }

    func list() async throws -> [StoredClient] {
        try await base.list()
    }

    func revoke(clientID: String, at time: Date) async throws -> Bool {
        defer { cache.invalidate(clientID) }
        return try await base.revoke(clientID: clientID, at: time)
    }
}
