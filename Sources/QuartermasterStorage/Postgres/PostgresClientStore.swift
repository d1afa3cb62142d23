import Foundation
import PostgresNIO

/// `ClientStore` on PostgreSQL.
struct PostgresClientStore: ClientStore {
    let gateway: PostgresGateway

    private static let columns = "client_id, identity, secret_hash, jwks, created_at, revoked_at"

    func insert(_ client: StoredClient) async throws {
        try await gateway.run { postgres in
            _ = try await postgres.query(
                """
                INSERT INTO oauth_clients (\(unescaped: Self.columns)) VALUES (\(client.clientID), \(client.identity), \
                \(client.secretHash), \(client.jwks), \(client.createdAt.storageMicroseconds), \
                \(client.revokedAt?.storageMicroseconds))
                """)
        }
    }

    func find(clientID: String) async throws -> StoredClient? {
        try await gateway.run { client in
            try await Self.clients(client.query(
                "SELECT \(unescaped: Self.columns) FROM oauth_clients WHERE client_id = \(clientID)")).first
        }
    }

    func list() async throws -> [StoredClient] {
        try await gateway.run { client in
            try await Self.clients(client.query(
                "SELECT \(unescaped: Self.columns) FROM oauth_clients ORDER BY created_at, client_id"))
        }
    }

    /// Sets `revoked_at` unless already set: the first revocation time is kept.
    func revoke(clientID: String, at time: Date) async throws -> Bool {
        try await gateway.run { client in
            var updated = false
            for try await _ in try await client.query(
                """
                UPDATE oauth_clients SET revoked_at = COALESCE(revoked_at, \(time.storageMicroseconds)) \
                WHERE client_id = \(clientID) RETURNING client_id
                """
            ) {
                updated = true
            }
            return updated
        }
    }

    private static func clients(_ rows: PostgresRowSequence) async throws -> [StoredClient] {
        var clients: [StoredClient] = []
        for try await (clientID, identity, secretHash, jwks, createdAt, revokedAt) in rows.decode(
            (String, String, String?, String?, Int64, Int64?).self
        ) {
            clients.append(StoredClient(
                clientID: clientID, identity: identity, secretHash: secretHash, jwks: jwks,
                createdAt: Date(storageMicroseconds: createdAt),
                revokedAt: revokedAt.map(Date.init(storageMicroseconds:))))
        }
        return clients
    }
}
