import Foundation
import GRDB

/// `ReplayStore` on SQLite. `use` is one upsert that replaces only an expired entry, inside
/// a write transaction; SQLite serializes writers (across processes too), so one caller
/// wins each id.
struct SQLiteReplayStore: ReplayStore {
    let database: SQLiteDatabase

    func use(_ id: String, expiresAt: Date, now: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO replay_ids (id, expires_at) VALUES (?, ?) \
                    ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at \
                    WHERE replay_ids.expires_at <= ?
                    """,
                arguments: [id, expiresAt.storageMicroseconds, now.storageMicroseconds])
            return db.changesCount > 0
        }
    }

    func purge(before now: Date, limit: Int) async throws -> Int {
        try await database.write { db in
            try db.execute(
                sql: """
                    DELETE FROM replay_ids WHERE id IN \
                    (SELECT id FROM replay_ids WHERE expires_at < ? ORDER BY expires_at LIMIT ?)
                    """,
                arguments: [now.storageMicroseconds, max(0, limit)])
            return db.changesCount
        }
    }
}
