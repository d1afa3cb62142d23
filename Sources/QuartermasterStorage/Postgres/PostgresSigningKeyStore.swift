import Foundation
import PostgresNIO

/// `SigningKeyStore` on PostgreSQL. Sealed private keys are `BYTEA`.
struct PostgresSigningKeyStore: SigningKeyStore {
    let gateway: PostgresGateway

    private static let columns = """
        kid, algorithm, sealed_private_key, public_jwk, created_at, signs_from, signs_until, published_until, \
        root_key_id
        """

    func insert(_ key: StoredSigningKey) async throws {
        try await gateway.run { client in
            _ = try await client.query(
                """
                INSERT INTO signing_keys (\(unescaped: Self.columns)) VALUES (\(key.kid), \(key.algorithm), \
                \(key.sealedPrivateKey), \(key.publicJWK), \(key.createdAt.storageMicroseconds), \
                \(key.signsFrom.storageMicroseconds), \(key.signsUntil.storageMicroseconds), \
                \(key.publishedUntil.storageMicroseconds), \(key.rootKeyID))
                """)
        }
    }

    func all() async throws -> [StoredSigningKey] {
        try await gateway.run { client in
            var keys: [StoredSigningKey] = []
            for try await (kid, algorithm, sealed, jwk, createdAt, signsFrom, signsUntil, publishedUntil, rootKeyID)
                in try await client.query("SELECT \(unescaped: Self.columns) FROM signing_keys ORDER BY signs_from, kid")
                .decode((String, String, Data, String, Int64, Int64, Int64, Int64, String).self)
            {
                keys.append(StoredSigningKey(
                    kid: kid, algorithm: algorithm, sealedPrivateKey: sealed, publicJWK: jwk,
                    createdAt: Date(storageMicroseconds: createdAt), signsFrom: Date(storageMicroseconds: signsFrom),
                    signsUntil: Date(storageMicroseconds: signsUntil),
                    publishedUntil: Date(storageMicroseconds: publishedUntil), rootKeyID: rootKeyID))
            }
            return keys
        }
    }

    func update(_ key: StoredSigningKey) async throws {
        try await gateway.run { client in
            var updated = false
            for try await _ in try await client.query(
                """
                UPDATE signing_keys SET algorithm = \(key.algorithm), sealed_private_key = \(key.sealedPrivateKey), \
                public_jwk = \(key.publicJWK), created_at = \(key.createdAt.storageMicroseconds), \
                signs_from = \(key.signsFrom.storageMicroseconds), signs_until = \(key.signsUntil.storageMicroseconds), \
                published_until = \(key.publishedUntil.storageMicroseconds), root_key_id = \(key.rootKeyID) \
                WHERE kid = \(key.kid) RETURNING kid
                """
            ) {
                updated = true
            }
            guard updated else {
                throw StorageError.conflict("no key \(key.kid)")
            }
        }
    }

    func delete(kid: String) async throws {
        try await gateway.run { client in
            _ = try await client.query("DELETE FROM signing_keys WHERE kid = \(kid)")
        }
    }
}
