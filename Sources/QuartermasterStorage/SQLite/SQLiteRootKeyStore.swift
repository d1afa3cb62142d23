import Foundation
import GRDB

/// `RootKeyStore` on SQLite. The sealed items are read from, and rewrapped in, the tables
/// that hold them: `secret_versions`, `signing_keys` and `transit_key_versions`.
///
/// GRDB binds an empty `Data` as NULL, so statements store and compare `COALESCE(?, X'')`:
/// empty bytes round-trip as empty bytes, as on PostgreSQL.
struct SQLiteRootKeyStore: RootKeyStore {
    let database: SQLiteDatabase

    private static let columns = "id, sealed_key, sealed_by, created_at, retired_at"

    /// Every sealed item as (kind, owner, version, sealed, root_key_id); destroyed secret
    /// versions hold nothing and are left out.
    private static let sealedItems = """
        SELECT ?1 AS kind, path AS owner, version, wrapped_data_key AS sealed, root_key_id \
        FROM secret_versions WHERE NOT destroyed \
        UNION ALL SELECT ?2, kid, 0, sealed_private_key, root_key_id FROM signing_keys \
        UNION ALL SELECT ?3, name, version, sealed_key, root_key_id FROM transit_key_versions
        """

    /// The arguments `sealedItems` starts with: the kinds, in its order.
    private static let kinds: StatementArguments = [
        RootSealedItem.Kind.secretDataKey.rawValue, RootSealedItem.Kind.signingKey.rawValue,
        RootSealedItem.Kind.transitKey.rawValue,
    ]

    func insert(_ key: StoredRootKey) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO root_keys (\(Self.columns)) VALUES (?, COALESCE(?, X''), ?, ?, ?)",
                arguments: [
                    key.id, key.sealedKey, key.sealedBy, key.createdAt.storageMicroseconds,
                    key.retiredAt?.storageMicroseconds,
                ])
        }
    }

    func all() async throws -> [StoredRootKey] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM root_keys ORDER BY created_at, id").map { row in
                StoredRootKey(
                    id: row["id"], sealedKey: (row["sealed_key"] as Data?) ?? Data(), sealedBy: row["sealed_by"],
                    createdAt: Date(storageMicroseconds: row["created_at"]),
                    retiredAt: (row["retired_at"] as Int64?).map(Date.init(storageMicroseconds:)))
            }
        }
    }

    func retire(id: String, at time: Date) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE root_keys SET retired_at = ? WHERE id = ? AND retired_at IS NULL",
                arguments: [time.storageMicroseconds, id])
        }
    }

    /// Counts the items sealed under the key and deletes it only when there are none, in one
    /// write transaction.
    func delete(id: String) async throws -> Bool {
        try await database.write { db in
            let used = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM (\(Self.sealedItems)) WHERE root_key_id = ?4",
                arguments: Self.kinds + [id]) ?? 0
            guard used == 0 else {
                throw StorageError.conflict("root key \(id) still seals \(used) items")
            }
            try db.execute(sql: "DELETE FROM root_keys WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    func items(notSealedUnder rootKeyID: String, limit: Int) async throws -> [RootSealedItem] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT kind, owner, version, sealed, root_key_id FROM (\(Self.sealedItems)) \
                    WHERE root_key_id <> ?4 ORDER BY kind, owner, version LIMIT ?5
                    """,
                arguments: Self.kinds + [rootKeyID, max(0, limit)]
            ).map { row in
                guard let kind = RootSealedItem.Kind(rawValue: row["kind"]) else {
                    throw StorageError.unavailable("unknown sealed item kind")
                }
                return RootSealedItem(
                    kind: kind, owner: row["owner"], version: row["version"],
                    sealed: (row["sealed"] as Data?) ?? Data(), rootKeyID: row["root_key_id"])
            }
        }
    }

    func replace(_ item: RootSealedItem, sealed: Data, rootKeyID: String) async throws -> Bool {
        let (table, column, key, arguments): (String, String, String, StatementArguments) = switch item.kind {
        case .secretDataKey:
            ("secret_versions", "wrapped_data_key", "path = ? AND version = ? AND NOT destroyed", [item.owner, item.version])
        case .signingKey:
            ("signing_keys", "sealed_private_key", "kid = ?", [item.owner])
        case .transitKey:
            ("transit_key_versions", "sealed_key", "name = ? AND version = ?", [item.owner, item.version])
        }
        let sql = """
            UPDATE \(table) SET \(column) = COALESCE(?, X''), root_key_id = ? \
            WHERE \(key) AND root_key_id = ? AND \(column) = COALESCE(?, X'')
            """
        let allArguments: StatementArguments = [sealed, rootKeyID] + arguments + [item.rootKeyID, item.sealed]
        return try await database.write { db in
            try db.execute(sql: sql, arguments: allArguments)
            return db.changesCount > 0
        }
    }

    func usage() async throws -> [String: Int] {
        try await database.read { db in
            var usage: [String: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT root_key_id, COUNT(*) AS items FROM (\(Self.sealedItems)) GROUP BY root_key_id",
                arguments: Self.kinds)
            {
                usage[row["root_key_id"]] = row["items"]
            }
            return usage
        }
    }
}
