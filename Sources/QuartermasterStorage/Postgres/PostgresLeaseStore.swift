import Foundation
import PostgresNIO

/// `LeaseStore` on PostgreSQL. Every change is one statement, so it is atomic: a revoke
/// finds a lease's descendants (a recursive CTE) and deletes them together, and a renewal
/// re-checks its conditions on the row as a concurrent writer left it. Sweepers on several
/// replicas skip each other's locked rows.
///
/// A revoke deletes the descendants its statement sees: a child that another replica inserts
/// under a lease while that lease is being revoked, and commits after the revoke started, is
/// not deleted with it.
struct PostgresLeaseStore: LeaseStore {
    let gateway: PostgresGateway

    private static let columns = """
        id, subject, kind, resource, issued_at, expires_at, max_expires_at, renewable, parent_id, ttl
        """

    func insert(_ leases: [StoredLease]) async throws -> [Bool] {
        let logger = gateway.logger
        return try await gateway.transaction { connection in
            var inserted: [Bool] = []
            for lease in leases {
                let rows = try await connection.query(
                    """
                    INSERT INTO leases (\(unescaped: Self.columns)) VALUES (\(lease.id), \(lease.subject), \(lease.kind), \
                    \(lease.resource), \(lease.issuedAt.storageMicroseconds), \(lease.expiresAt.storageMicroseconds), \
                    \(lease.maxExpiresAt.storageMicroseconds), \(lease.renewable), \(lease.parentID), \(Int64((lease.ttl * 1_000_000).rounded()))) \
                    ON CONFLICT (id) DO NOTHING RETURNING id
                    """,
                    logger: logger)
                var count = 0
                for try await _ in rows { count += 1 }
                inserted.append(count == 1)
            }
            return inserted
        }
    }

    func lease(id: String) async throws -> StoredLease? {
        try await gateway.run { client in
            try await Self.leases(client.query("SELECT \(unescaped: Self.columns) FROM leases WHERE id = \(id)")).first
        }
    }

    func renew(id: String, expiresAt: Date, now: Date) async throws -> StoredLease? {
        try await gateway.run { client in
            try await Self.leases(client.query(
                """
                UPDATE leases SET expires_at = LEAST(\(expiresAt.storageMicroseconds), max_expires_at) \
                WHERE id = \(id) AND renewable AND expires_at > \(now.storageMicroseconds) \
                RETURNING \(unescaped: Self.columns)
                """
            )).first
        }
    }

    func revoke(id: String) async throws -> [StoredLease] {
        try await revokeWithDescendants(roots: "SELECT id FROM leases WHERE id = \(id)")
    }

    func revoke(prefix: String) async throws -> [StoredLease] {
        let range = try LeaseIDRange.revoking(prefix: prefix)
        return try await revokeWithDescendants(roots: Self.select(range))
    }

    func list(subject: String?, prefix: String?, now: Date, limit: Int) async throws -> [StoredLease] {
        var bindings = PostgresBindings()
        bindings.append(now.storageMicroseconds)
        var conditions = ["expires_at > $1"]
        if let subject {
            bindings.append(subject)
            conditions.append("subject = $\(bindings.count)")
        }
        if let prefix {
            let range = LeaseIDRange(prefix: prefix)
            bindings.append(range.lowerBound)
            conditions.append("id >= $\(bindings.count)")
            if let upperBound = range.upperBound {
                bindings.append(upperBound)
                conditions.append("id < $\(bindings.count)")
            }
        }
        bindings.append(Int64(max(0, limit)))
        let sql = """
            SELECT \(Self.columns) FROM leases WHERE \(conditions.joined(separator: " AND ")) \
            ORDER BY id LIMIT $\(bindings.count)
            """
        return try await gateway.run { client in
            try await Self.leases(client.query(PostgresQuery(unsafeSQL: sql, binds: bindings)))
        }
    }

    /// Locks a batch in `expires_at` index order, skipping rows another sweeper holds, and
    /// deletes it through the primary key: `id = ANY(ARRAY(...))` is planned as index lookups,
    /// where `id IN (SELECT ...)` may become a scan of the whole table.
    func sweep(expiredAt now: Date, limit: Int) async throws -> [StoredLease] {
        try await gateway.run { client in
            try await Self.leases(client.query(
                """
                DELETE FROM leases WHERE id = ANY(ARRAY(\
                SELECT id FROM leases WHERE expires_at <= \(now.storageMicroseconds) ORDER BY expires_at \
                LIMIT \(max(0, limit)) FOR UPDATE SKIP LOCKED)) RETURNING \(unescaped: Self.columns)
                """
            ))
        }.sortedByExpiry()
    }

    func countLive(now: Date) async throws -> Int {
        try await gateway.run { client in
            var count = 0
            for try await live in try await client.query(
                "SELECT COUNT(*) FROM leases WHERE expires_at > \(now.storageMicroseconds)"
            ).decode(Int.self) {
                count = live
            }
            return count
        }
    }

    /// Deletes the leases `roots` selects (a `SELECT id ...`) and, transitively, their
    /// children; returns them by id.
    private func revokeWithDescendants(roots: PostgresQuery) async throws -> [StoredLease] {
        var query = roots
        query.sql = """
            WITH RECURSIVE revoked (id) AS (\(query.sql) \
            UNION SELECT leases.id FROM leases JOIN revoked ON leases.parent_id = revoked.id) \
            DELETE FROM leases WHERE id = ANY(ARRAY(SELECT id FROM revoked)) RETURNING \(Self.columns)
            """
        return try await gateway.run { client in
            try await Self.leases(client.query(query))
        }.sortedByID()
    }

    /// `SELECT id FROM leases` where the id is in `range`.
    private static func select(_ range: LeaseIDRange) -> PostgresQuery {
        if let upperBound = range.upperBound {
            "SELECT id FROM leases WHERE id >= \(range.lowerBound) AND id < \(upperBound)"
        } else {
            "SELECT id FROM leases WHERE id >= \(range.lowerBound)"
        }
    }

    private static func leases(_ rows: PostgresRowSequence) async throws -> [StoredLease] {
        var leases: [StoredLease] = []
        for try await (id, subject, kind, resource, issuedAt, expiresAt, maxExpiresAt, renewable, parentID, ttl)
            in rows.decode((String, String, String, String, Int64, Int64, Int64, Bool, String?, Int64).self)
        {
            leases.append(StoredLease(
                id: id, subject: subject, kind: kind, resource: resource, issuedAt: Date(storageMicroseconds: issuedAt),
                expiresAt: Date(storageMicroseconds: expiresAt), maxExpiresAt: Date(storageMicroseconds: maxExpiresAt),
                renewable: renewable, parentID: parentID, ttl: LeaseTTL.seconds(storedMicroseconds: ttl)))
        }
        return leases
    }
}
