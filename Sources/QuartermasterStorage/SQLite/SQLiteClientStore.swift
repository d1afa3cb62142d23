import Foundation
import GRDB

/// `ClientStore` on SQLite.
struct SQLiteClientStore: ClientStore {
    let database: SQLiteDatabase

    private static let columns = "client_id, identity, secret_hash, jwks, created_at, revoked_at"

    func insert(_ client: StoredClient) async throws {
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO oauth_clients (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    client.clientID, client.identity, client.secretHash, client.jwks,
                    client.createdAt.storageMicroseconds, client.revokedAt?.storageMicroseconds,
                ])
        }
    }

    func find(clientID: String) async throws -> StoredClient? {
        try await database.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(Self.columns) FROM oauth_clients WHERE client_id = ?"), arguments: [clientID]
            ).map(Self.client)
        }
    }

    func list() async throws -> [StoredClient] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM oauth_clients ORDER BY created_at, client_id")
                .map(Self.client)
        }
    }

    /// Sets `revoked_at` unless already set: the first revocation time is kept.
    func revoke(clientID: String, at time: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE oauth_clients SET revoked_at = COALESCE(revoked_at, ?) WHERE client_id = ?",
                arguments: [time.storageMicroseconds, clientID])
            return db.changesCount > 0
        }
    }

    private static func client(_ row: Row) -> StoredClient {
        StoredClient(
            clientID: row["client_id"], identity: row["identity"], secretHash: row["secret_hash"], jwks: row["jwks"],
            createdAt: Date(storageMicroseconds: row["created_at"]),
            revokedAt: (row["revoked_at"] as Int64?).map(Date.init(storageMicroseconds:)))
    }
}
