import Foundation

/// The state of a secret path a write starts from, and the rules both backends apply to it.
struct SecretWritePlan {
    /// The version the write creates.
    let version: Int
    /// The oldest version kept after the write; older ones are deleted.
    let oldestVersion: Int
    /// The number of versions to keep (at least 1).
    let maxVersions: Int
    /// The custom metadata to store, as JSON.
    let customMetadataJSON: String

    /// Plans a write on a path whose current version is `current` (0 when it has none) and
    /// oldest `oldest`, checking `cas`.
    init(
        path: String, current: Int, oldest: Int, storedCustomMetadataJSON: String?, cas: Int?, maxVersions: Int,
        customMetadata: [String: String]?
    ) throws {
        if let cas, cas != current {
            throw StorageError.conflict(
                current == 0
                    ? "cas \(cas) does not match: secret \(path) has no version"
                    : "cas \(cas) does not match the current version \(current) of secret \(path)")
        }
        version = current + 1
        self.maxVersions = max(1, maxVersions)
        oldestVersion = max(current == 0 ? 1 : oldest, version - self.maxVersions + 1)
        if let customMetadata {
            customMetadataJSON = try Self.json(customMetadata)
        } else {
            customMetadataJSON = try storedCustomMetadataJSON ?? Self.json([:])
        }
    }

    /// Checks the row `seal` returned for `path` and returns it as it will be stored.
    func checked(_ sealed: StoredSecretVersion, path: String) throws -> StoredSecretVersion {
        guard sealed.path == path, sealed.version == version else {
            throw StorageError.conflict(
                "sealed secret version \(sealed.version) of \(sealed.path) is not version \(version) of \(path)")
        }
        var stored = sealed
        stored.createdAt = sealed.createdAt.atStoragePrecision
        stored.deletedAt = sealed.deletedAt?.atStoragePrecision
        return stored
    }

    /// Custom metadata as stored: a JSON object with sorted keys.
    static func json(_ customMetadata: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(customMetadata), as: UTF8.self)
    }

    /// Decodes a stored `custom_metadata` column.
    static func customMetadata(fromJSON json: String) throws -> [String: String] {
        do {
            return try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
        } catch {
            throw StorageError.unavailable("secret custom metadata is not a JSON object of strings")
        }
    }
}

/// How both backends answer `SecretStore.list`.
enum SecretListing {
    /// The folder `prefix` names: "" or a prefix ending with "/".
    static func folder(_ prefix: String) -> String {
        prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
    }

    /// The immediate children of `folder` among `paths` (which may include paths outside
    /// it), folders ending with "/", deduplicated and sorted bytewise.
    static func children(of folder: String, in paths: [String]) -> [String] {
        var children: Set<String> = []
        let prefix = Array(folder.utf8)
        for path in paths {
            let bytes = Array(path.utf8)
            guard bytes.count > prefix.count, bytes.starts(with: prefix) else { continue }
            let rest = bytes[prefix.count...]
            if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
                children.insert(String(decoding: rest[...slash], as: UTF8.self))
            } else {
                children.insert(String(decoding: rest, as: UTF8.self))
            }
        }
        return children.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}

extension Array where Element == Int {
    /// The distinct versions, as stored (for `IN` lists and counts).
    var distinctVersions: [Int64] {
        Set(self).sorted().map(Int64.init)
    }
}
