import Foundation
import PostgresNIO

/// `RevocationStore` on PostgreSQL.
struct PostgresRevocationStore: RevocationStore {
    let gateway: PostgresGateway

    private static let columns = "jti, revoked_at, expires_at, reason"

    /// Inserts unless the jti exists: the first revocation is kept.
    func revoke(_ revocation: StoredRevocation) async throws {
        try await gateway.run { client in
            _ = try await client.query(
                """
                INSERT INTO revocations (\(unescaped: Self.columns)) VALUES (\(revocation.jti), \
                \(revocation.revokedAt.storageMicroseconds), \(revocation.expiresAt.storageMicroseconds), \
                \(revocation.reason)) ON CONFLICT (jti) DO NOTHING
                """)
        }
    }

    func isRevoked(jti: String) async throws -> Bool {
        try await gateway.run { client in
            var revoked = false
            for try await exists in try await client.query(
                "SELECT EXISTS (SELECT 1 FROM revocations WHERE jti = \(jti))"
            ).decode(Bool.self) {
                revoked = exists
            }
            return revoked
        }
    }

    func list(since: Date?, limit: Int) async throws -> [StoredRevocation] {
        let limit = max(0, limit)
        let query: PostgresQuery = if let since {
            """
            SELECT \(unescaped: Self.columns) FROM revocations WHERE revoked_at >= \(since.storageMicroseconds) \
            ORDER BY revoked_at, jti LIMIT \(limit)
            """
        } else {
            "SELECT \(unescaped: Self.columns) FROM revocations ORDER BY revoked_at, jti LIMIT \(limit)"
        }
        return try await gateway.run { client in
            var revocations: [StoredRevocation] = []
            for try await (jti, revokedAt, expiresAt, reason) in try await client.query(query)
                .decode((String, Int64, Int64, String).self)
            {
                revocations.append(StoredRevocation(
                    jti: jti, revokedAt: Date(storageMicroseconds: revokedAt),
                    expiresAt: Date(storageMicroseconds: expiresAt), reason: reason))
            }
            return revocations
        }
    }

    func purge(expiredBefore now: Date, limit: Int) async throws -> Int {
        let micros = now.storageMicroseconds
        return try await gateway.run { client in
            var count = 0
            for try await deleted in try await client.query(
                """
                WITH purged AS (DELETE FROM revocations WHERE expires_at < \(micros) AND jti IN \
                (SELECT jti FROM revocations WHERE expires_at < \(micros) ORDER BY expires_at LIMIT \(max(0, limit)) \
                FOR UPDATE SKIP LOCKED) RETURNING 1) SELECT COUNT(*) FROM purged
                """
            ).decode(Int.self) {
                count = deleted
            }
            return count
        }
    }
}
