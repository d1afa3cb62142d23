import Foundation

/// A `SecretStore` that answers `metadata`, `read` and `readWithMetadata` from memory after the first read of a
/// path. Every change to a path through this store, or to its rows through
/// `CachingRootKeyStore` (rewrap), invalidates the path.
struct CachingSecretStore: SecretStore {
    /// What has been read of one path.
    struct PathEntry: Sendable {
        var metadata: StoredSecretMetadata?
        var current: StoredSecretVersion?
        var versions: [Int: StoredSecretVersion] = [:]
    }

    private let base: any SecretStore
    let cache = ReadCache<String, PathEntry>(capacity: 10_000)

    init(_ base: any SecretStore) {
        self.base = base
    }

    func write(path: String, cas: Int?, maxVersions: Int, customMetadata: [String: String]?, now: Date, _ seal: @Sendable (Int) throws -> StoredSecretVersion) async throws -> StoredSecretVersion {
        defer { cache.invalidate(path) }
        return try await base.write(path: path, cas: cas, maxVersions: maxVersions, customMetadata: customMetadata, now: now, seal)
    }

    func read(path: String, version: Int?) async throws -> StoredSecretVersion? {
        let entry = cache.value(for: path)
        if let hit = version.map({ entry?.versions[$0] }) ?? entry?.current { return hit }
        let ticket = cache.ticket()
        guard let stored = try await base.read(path: path, version: version) else { return nil }
        cache.offer(for: path, ticket: ticket) { cached in
            var entry = cached ?? PathEntry()
            if let version { entry.versions[version] = stored } else { entry.current = stored }
            return entry
        }
        return stored
    }

    func metadata(path: String) async throws -> StoredSecretMetadata? {
        if let hit = cache.value(for: path)?.metadata { return hit }
        let ticket = cache.ticket()
        guard let metadata = try await base.metadata(path: path) else { return nil }
        cache.offer(for: path, ticket: ticket) { cached in
            var entry = cached ?? PathEntry()
            entry.metadata = metadata
            return entry
        }
        return metadata
    }

    func readWithMetadata(path: String, version: Int?) async throws -> (metadata: StoredSecretMetadata, version: StoredSecretVersion)? {
        let entry = cache.value(for: path)
        if let metadata = entry?.metadata, let hit = version.map({ entry?.versions[$0] }) ?? entry?.current {
            return (metadata, hit)
        }
        let ticket = cache.ticket()
        guard let (metadata, stored) = try await base.readWithMetadata(path: path, version: version) else { return nil }
        cache.offer(for: path, ticket: ticket) { cached in
            var entry = cached ?? PathEntry()
            entry.metadata = metadata
            if let version { entry.versions[version] = stored } else { entry.current = stored }
            return entry
        }
        return (metadata, stored)
    }

    func versions(path: String) async throws -> [StoredSecretVersion] {
        try await base.versions(path: path)
    }

    func list(prefix: String) async throws -> [String] {
        try await base.list(prefix: prefix)
    }

    func softDelete(path: String, versions: [Int], at: Date) async throws -> Int {
        defer { cache.invalidate(path) }
        return try await base.softDelete(path: path, versions: versions, at: at)
    }

    func undelete(path: String, versions: [Int]) async throws -> Int {
        defer { cache.invalidate(path) }
        return try await base.undelete(path: path, versions: versions)
    }

    func destroy(path: String, versions: [Int]) async throws -> Int {
        defer { cache.invalidate(path) }
        return try await base.destroy(path: path, versions: versions)
    }
}
