import Foundation
import PostgresNIO

/// `APIKeyStore` on PostgreSQL.
struct PostgresAPIKeyStore: APIKeyStore {
    let gateway: PostgresGateway

    private static let columns = """
        id, identity, name, roles, secret_hmac, created_at, expires_at, revoked_at, last_used_at, \
        replaced_by, grace_until
        """

    func insert(_ key: StoredAPIKey) async throws {
        let roles = try key.rolesJSON
        try await gateway.run { client in
            _ = try await client.query(
                """
                INSERT INTO api_keys (\(unescaped: Self.columns)) VALUES (\(key.id), \(key.identity), \(key.name), \
                \(roles), \(key.secretHMAC), \(key.createdAt.storageMicroseconds), \(key.expiresAt?.storageMicroseconds), \
                \(key.revokedAt?.storageMicroseconds), \(key.lastUsedAt?.storageMicroseconds), \(key.replacedBy), \
                \(key.graceUntil?.storageMicroseconds))
                """)
        }
    }

    func find(id: String) async throws -> StoredAPIKey? {
        try await gateway.run { client in
            try await Self.keys(client.query("SELECT \(unescaped: Self.columns) FROM api_keys WHERE id = \(id)")).first
        }
    }

    func list(identity: String?) async throws -> [StoredAPIKey] {
        let query: PostgresQuery = if let identity {
            "SELECT \(unescaped: Self.columns) FROM api_keys WHERE identity = \(identity) ORDER BY created_at, id"
        } else {
            "SELECT \(unescaped: Self.columns) FROM api_keys ORDER BY created_at, id"
        }
        return try await gateway.run { client in
            try await Self.keys(client.query(query))
        }
    }

    func update(_ key: StoredAPIKey) async throws {
        let roles = try key.rolesJSON
        try await gateway.run { client in
            var updated = false
            for try await _ in try await client.query(
                """
                UPDATE api_keys SET identity = \(key.identity), name = \(key.name), roles = \(roles), \
                secret_hmac = \(key.secretHMAC), created_at = \(key.createdAt.storageMicroseconds), \
                expires_at = \(key.expiresAt?.storageMicroseconds), revoked_at = \(key.revokedAt?.storageMicroseconds), \
                last_used_at = \(key.lastUsedAt?.storageMicroseconds), replaced_by = \(key.replacedBy), \
                grace_until = \(key.graceUntil?.storageMicroseconds) WHERE id = \(key.id) RETURNING id
                """
            ) {
                updated = true
            }
            guard updated else {
                throw StorageError.conflict("no API key \(key.id)")
            }
        }
    }

    func touch(id: String, at time: Date) async throws {
        let micros = time.storageMicroseconds
        try await gateway.run { client in
            _ = try await client.query(
                """
                UPDATE api_keys SET last_used_at = \(micros) \
                WHERE id = \(id) AND (last_used_at IS NULL OR last_used_at < \(micros))
                """)
        }
    }

    private static func keys(_ rows: PostgresRowSequence) async throws -> [StoredAPIKey] {
        var keys: [StoredAPIKey] = []
        for try await (id, identity, name, roles, secretHMAC, createdAt, expiresAt, revokedAt, lastUsedAt, replacedBy, graceUntil)
            in rows.decode((String, String, String, String, String, Int64, Int64?, Int64?, Int64?, String?, Int64?).self)
        {
            keys.append(StoredAPIKey(
                id: id, identity: identity, name: name, roles: try StoredAPIKey.roles(fromJSON: roles),
                secretHMAC: secretHMAC, createdAt: Date(storageMicroseconds: createdAt),
                expiresAt: expiresAt.map(Date.init(storageMicroseconds:)),
                revokedAt: revokedAt.map(Date.init(storageMicroseconds:)),
                lastUsedAt: lastUsedAt.map(Date.init(storageMicroseconds:)), replacedBy: replacedBy,
                graceUntil: graceUntil.map(Date.init(storageMicroseconds:))))
        }
        return keys
    }
}
