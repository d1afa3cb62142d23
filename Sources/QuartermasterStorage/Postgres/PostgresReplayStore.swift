import Foundation
import PostgresNIO

/// `ReplayStore` on PostgreSQL.
///
/// `use` is one `INSERT ... ON CONFLICT DO UPDATE ... WHERE expired`: the primary key makes
/// simultaneous inserts of one id, from any replica, wait for each other, and the update
/// re-checks the expiry on the row as the winner left it, so exactly one caller gets a row
/// back. `purge` re-checks the expiry in the `DELETE` itself, so an entry renewed by a
/// concurrent `use` is never deleted.
struct PostgresReplayStore: ReplayStore {
    let gateway: PostgresGateway

    func use(_ id: String, expiresAt: Date, now: Date) async throws -> Bool {
        try await gateway.run { client in
            var recorded = false
            for try await _ in try await client.query(
                """
                INSERT INTO replay_ids (id, expires_at) VALUES (\(id), \(expiresAt.storageMicroseconds)) \
                ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at \
                WHERE replay_ids.expires_at <= \(now.storageMicroseconds) RETURNING id
                """
            ) {
                recorded = true
            }
            return recorded
        }
    }

    func purge(before now: Date, limit: Int) async throws -> Int {
        let micros = now.storageMicroseconds
        return try await gateway.run { client in
            var count = 0
            for try await deleted in try await client.query(
                """
                WITH purged AS (DELETE FROM replay_ids WHERE expires_at < \(micros) AND id IN \
                (SELECT id FROM replay_ids WHERE expires_at < \(micros) ORDER BY expires_at LIMIT \(max(0, limit)) \
                FOR UPDATE SKIP LOCKED) RETURNING 1) SELECT COUNT(*) FROM purged
                """
            ).decode(Int.self) {
                count = deleted
            }
            return count
        }
    }
}
