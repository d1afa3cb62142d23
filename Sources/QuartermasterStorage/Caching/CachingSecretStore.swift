import Foundation

/// A `SecretStore` that answers `metadata`, `read` and `readWithMetadata` from memory after
/// the first read of a path. Every change to a path through this store, or to its rows
/// through `CachingRootKeyStore` (rewrap), invalidates the path.
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
        if let hit = Self.version(version, in: cache.value(for: path)) { return hit }
        let ticket = cache.ticket()
        guard let stored = try await base.read(path: path, version: version) else { return nil }
        remember(path: path, ticket: ticket, version: (version, stored))
        return stored
    }

    func metadata(path: String) async throws -> StoredSecretMetadata? {
        if let hit = cache.value(for: path)?.metadata { return hit }
        let ticket = cache.ticket()
        guard let metadata = try await base.metadata(path: path) else { return nil }
        remember(path: path, ticket: ticket, metadata: metadata)
        return metadata
    }

    func readWithMetadata(path: String, version: Int?) async throws -> (metadata: StoredSecretMetadata, version: StoredSecretVersion)? {
        let entry = cache.value(for: path)
        if let metadata = entry?.metadata, let hit = Self.version(version, in: entry) { return (metadata, hit) }
        let ticket = cache.ticket()
        guard let (metadata, stored) = try await base.readWithMetadata(path: path, version: version) else { return nil }
        remember(path: path, ticket: ticket, metadata: metadata, version: (version, stored))
        return (metadata, stored)
    }

    /// Version `version` (nil = current) in a path's cache entry, if there.
    private static func version(_ version: Int?, in entry: PathEntry?) -> StoredSecretVersion? {
        version.map { entry?.versions[$0] } ?? entry?.current
    }

    /// Offers what was read of `path` to the cache (kept only if nothing invalidated the path
    /// since `ticket`); `version.asked` is the version asked for (nil = current).
    private func remember(path: String, ticket: UInt64, metadata: StoredSecretMetadata? = nil, version: (asked: Int?, stored: StoredSecretVersion)? = nil) {
        cache.offer(for: path, ticket: ticket) { cached in
            var entry = cached ?? PathEntry()
            if let metadata { entry.metadata = metadata }
            if let (asked, stored) = version {
                if let asked { entry.versions[asked] = stored } else { entry.current = stored }
            }
            return entry
        }
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
