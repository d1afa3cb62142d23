import Foundation
import PostgresNIO

/// `CredentialStore` on PostgreSQL.
struct PostgresCredentialStore: CredentialStore {
    let gateway: PostgresGateway

    private static let columns = "id, kind, identity, secret_hash, created_at, expires_at, revoked_at"

    func insert(_ credential: StoredCredential) async throws {
        try await gateway.run { client in
            _ = try await client.query(
                """
                INSERT INTO credentials (\(unescaped: Self.columns)) VALUES (\(credential.id), \(credential.kind), \
                \(credential.identity), \(credential.secretHash), \(credential.createdAt.storageMicroseconds), \
                \(credential.expiresAt?.storageMicroseconds), \(credential.revokedAt?.storageMicroseconds))
                """)
        }
    }

    func find(id: String) async throws -> StoredCredential? {
        try await gateway.run { client in
            let rows = try await client.query("SELECT \(unescaped: Self.columns) FROM credentials WHERE id = \(id)")
            var found: StoredCredential?
            for try await (id, kind, identity, secretHash, createdAt, expiresAt, revokedAt) in rows.decode(
                (String, String, String, String, Int64, Int64?, Int64?).self
            ) {
                found = StoredCredential(
                    id: id, kind: kind, identity: identity, secretHash: secretHash,
                    createdAt: Date(storageMicroseconds: createdAt),
                    expiresAt: expiresAt.map(Date.init(storageMicroseconds:)),
                    revokedAt: revokedAt.map(Date.init(storageMicroseconds:)))
            }
            return found
        }
    }

    func count(kind: String) async throws -> Int {
        try await gateway.run { client in
            var count = 0
            for try await value in try await client.query(
                "SELECT COUNT(*) FROM credentials WHERE kind = \(kind)"
            ).decode(Int.self) {
                count = value
            }
            return count
        }
    }

    /// Sets `revoked_at` unless already set: the first revocation time is kept.
    func revoke(id: String, at time: Date) async throws -> Bool {
        try await gateway.run { client in
            var updated = false
            for try await _ in try await client.query(
                "UPDATE credentials SET revoked_at = COALESCE(revoked_at, \(time.storageMicroseconds)) WHERE id = \(id) RETURNING id"
            ) {
                updated = true
            }
            return updated
        }
    }
}
