import Foundation
import PostgresNIO

/// `RootKeyStore` on PostgreSQL. The sealed items are read from, and rewrapped in, the tables
/// that hold them: `secret_versions`, `signing_keys` and `transit_key_versions`.
///
/// A rewrap (`replace`) is one `UPDATE` whose condition PostgreSQL re-checks on the row as a
/// concurrent writer left it, so it never overwrites a change it did not see. `delete` counts
/// what the root key seals and deletes it in one transaction; it does not stop another
/// replica sealing a new item under the key meanwhile, so a key is retired (seals nothing
/// new) and rewrapped away from before it is deleted.
struct PostgresRootKeyStore: RootKeyStore {
    let gateway: PostgresGateway

    private static let columns = "id, sealed_key, sealed_by, created_at, retired_at"

    /// Every sealed item as (kind, owner, version, sealed, root_key_id); destroyed secret
    /// versions hold nothing and are left out. Binds the kinds as $1, $2 and $3.
    private static let sealedItems = """
        SELECT $1::text AS kind, path AS owner, version, wrapped_data_key AS sealed, root_key_id \
        FROM secret_versions WHERE NOT destroyed \
        UNION ALL SELECT $2::text, kid, 0::bigint, sealed_private_key, root_key_id FROM signing_keys \
        UNION ALL SELECT $3::text, name, version, sealed_key, root_key_id FROM transit_key_versions
        """

    /// The bindings `sealedItems` starts with: the kinds, in its order.
    private static var kinds: PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(RootSealedItem.Kind.secretDataKey.rawValue)
        bindings.append(RootSealedItem.Kind.signingKey.rawValue)
        bindings.append(RootSealedItem.Kind.transitKey.rawValue)
        return bindings
    }

    func insert(_ key: StoredRootKey) async throws {
        try await gateway.run { client in
            _ = try await client.query(
                """
                INSERT INTO root_keys (\(unescaped: Self.columns)) VALUES (\(key.id), \(key.sealedKey), \
                \(key.sealedBy), \(key.createdAt.storageMicroseconds), \(key.retiredAt?.storageMicroseconds))
                """)
        }
    }

    func all() async throws -> [StoredRootKey] {
        try await gateway.run { client in
            var keys: [StoredRootKey] = []
            for try await (id, sealedKey, sealedBy, createdAt, retiredAt) in try await client.query(
                "SELECT \(unescaped: Self.columns) FROM root_keys ORDER BY created_at, id"
            ).decode((String, Data, String, Int64, Int64?).self) {
                keys.append(StoredRootKey(
                    id: id, sealedKey: sealedKey, sealedBy: sealedBy, createdAt: Date(storageMicroseconds: createdAt),
                    retiredAt: retiredAt.map(Date.init(storageMicroseconds:))))
            }
            return keys
        }
    }

    func retire(id: String, at time: Date) async throws {
        try await gateway.run { client in
            _ = try await client.query(
                "UPDATE root_keys SET retired_at = \(time.storageMicroseconds) WHERE id = \(id) AND retired_at IS NULL")
        }
    }

    func delete(id: String) async throws -> Bool {
        let logger = gateway.logger
        var bindings = Self.kinds
        bindings.append(id)
        let count = PostgresQuery(
            unsafeSQL: "SELECT COUNT(*) FROM (\(Self.sealedItems)) AS items WHERE root_key_id = $4", binds: bindings)
        return try await gateway.transaction { connection in
            var used = 0
            for try await items in try await connection.query(count, logger: logger).decode(Int.self) {
                used = items
            }
            guard used == 0 else {
                throw StorageError.conflict("root key \(id) still seals \(used) items")
            }
            var deleted = false
            for try await _ in try await connection.query(
                "DELETE FROM root_keys WHERE id = \(id) RETURNING id", logger: logger
            ) {
                deleted = true
            }
            return deleted
        }
    }

    func items(notSealedUnder rootKeyID: String, limit: Int) async throws -> [RootSealedItem] {
        var bindings = Self.kinds
        bindings.append(rootKeyID)
        bindings.append(Int64(max(0, limit)))
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT kind, owner, version, sealed, root_key_id FROM (\(Self.sealedItems)) AS items \
                WHERE root_key_id <> $4 ORDER BY kind COLLATE "C", owner COLLATE "C", version LIMIT $5
                """,
            binds: bindings)
        return try await gateway.run { client in
            var items: [RootSealedItem] = []
            for try await (kind, owner, version, sealed, itemRootKeyID) in try await client.query(query)
                .decode((String, String, Int64, Data, String).self)
            {
                guard let kind = RootSealedItem.Kind(rawValue: kind) else {
                    throw StorageError.unavailable("unknown sealed item kind")
                }
                items.append(RootSealedItem(
                    kind: kind, owner: owner, version: Int(version), sealed: sealed, rootKeyID: itemRootKeyID))
            }
            return items
        }
    }

    func replace(_ item: RootSealedItem, sealed: Data, rootKeyID: String) async throws -> Bool {
        try await gateway.run { client in
            var replaced = false
            for try await _ in try await client.query(Self.replacing(item, sealed: sealed, rootKeyID: rootKeyID)) {
                replaced = true
            }
            return replaced
        }
    }

    /// The compare-and-swap `UPDATE ... RETURNING` of `replace` on the item's table.
    private static func replacing(_ item: RootSealedItem, sealed: Data, rootKeyID: String) throws -> PostgresQuery {
        switch item.kind {
        case .secretDataKey:
            try """
            UPDATE secret_versions SET wrapped_data_key = \(sealed), root_key_id = \(rootKeyID) \
            WHERE path = \(item.owner) AND version = \(Int64(item.version)) AND NOT destroyed \
            AND root_key_id = \(item.rootKeyID) AND wrapped_data_key = \(item.sealed) RETURNING version
            """
        case .signingKey:
            try """
            UPDATE signing_keys SET sealed_private_key = \(sealed), root_key_id = \(rootKeyID) \
            WHERE kid = \(item.owner) AND root_key_id = \(item.rootKeyID) AND sealed_private_key = \(item.sealed) \
            RETURNING kid
            """
        case .transitKey:
            try """
            UPDATE transit_key_versions SET sealed_key = \(sealed), root_key_id = \(rootKeyID) \
            WHERE name = \(item.owner) AND version = \(Int64(item.version)) AND root_key_id = \(item.rootKeyID) \
            AND sealed_key = \(item.sealed) RETURNING version
            """
        }
    }

    func usage() async throws -> [String: Int] {
        let query = PostgresQuery(
            unsafeSQL: "SELECT root_key_id, COUNT(*) FROM (\(Self.sealedItems)) AS items GROUP BY root_key_id",
            binds: Self.kinds)
        return try await gateway.run { client in
            var usage: [String: Int] = [:]
            for try await (rootKeyID, items) in try await client.query(query).decode((String, Int).self) {
                usage[rootKeyID] = items
            }
            return usage
        }
    }
}
