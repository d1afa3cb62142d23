import Foundation
import GRDB

/// `APIKeyStore` on SQLite.
struct SQLiteAPIKeyStore: APIKeyStore {
    let database: SQLiteDatabase

    private static let columns = """
        id, identity, name, roles, secret_hmac, created_at, expires_at, revoked_at, last_used_at, \
        replaced_by, grace_until
        """

    func insert(_ key: StoredAPIKey) async throws {
        let roles = try key.rolesJSON
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO api_keys (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    key.id, key.identity, key.name, roles, key.secretHMAC, key.createdAt.storageMicroseconds,
                    key.expiresAt?.storageMicroseconds, key.revokedAt?.storageMicroseconds,
                    key.lastUsedAt?.storageMicroseconds, key.replacedBy, key.graceUntil?.storageMicroseconds,
                ])
        }
    }

    func find(id: String) async throws -> StoredAPIKey? {
        try await database.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.columns) FROM api_keys WHERE id = ?"), arguments: [id])
                .map(Self.key)
        }
    }

    func list(identity: String?) async throws -> [StoredAPIKey] {
        var arguments: StatementArguments = []
        var filter = ""
        if let identity {
            filter = "WHERE identity = ?"
            arguments += [identity]
        }
        let sql = "SELECT \(Self.columns) FROM api_keys \(filter) ORDER BY created_at, id"
        return try await database.read { [arguments] db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map(Self.key)
        }
    }

    func update(_ key: StoredAPIKey) async throws {
        let roles = try key.rolesJSON
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE api_keys SET identity = ?, name = ?, roles = ?, secret_hmac = ?, created_at = ?, \
                    expires_at = ?, revoked_at = ?, last_used_at = ?, replaced_by = ?, grace_until = ? WHERE id = ?
                    """,
                arguments: [
                    key.identity, key.name, roles, key.secretHMAC, key.createdAt.storageMicroseconds,
                    key.expiresAt?.storageMicroseconds, key.revokedAt?.storageMicroseconds,
                    key.lastUsedAt?.storageMicroseconds, key.replacedBy, key.graceUntil?.storageMicroseconds, key.id,
                ])
            guard db.changesCount > 0 else {
                throw StorageError.conflict("no API key \(key.id)")
            }
        }
    }

    func touch(id: String, at time: Date) async throws {
        let micros = time.storageMicroseconds
        try await database.write { db in
            try db.execute(
                sql: "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                arguments: [micros, id, micros])
        }
    }

    private static func key(_ row: Row) throws -> StoredAPIKey {
        StoredAPIKey(
            id: row["id"], identity: row["identity"], name: row["name"],
            roles: try StoredAPIKey.roles(fromJSON: row["roles"]), secretHMAC: row["secret_hmac"],
            createdAt: Date(storageMicroseconds: row["created_at"]),
            expiresAt: (row["expires_at"] as Int64?).map(Date.init(storageMicroseconds:)),
            revokedAt: (row["revoked_at"] as Int64?).map(Date.init(storageMicroseconds:)),
            lastUsedAt: (row["last_used_at"] as Int64?).map(Date.init(storageMicroseconds:)),
            replacedBy: row["replaced_by"],
            graceUntil: (row["grace_until"] as Int64?).map(Date.init(storageMicroseconds:)))
    }
}
