import Foundation
import PostgresNIO

/// `PolicyStore` on PostgreSQL. An append locks the table against other appends
/// (`SHARE ROW EXCLUSIVE` lets reads through) so concurrent appends, from any replica,
/// never share a version number.
struct PostgresPolicyStore: PolicyStore {
    let gateway: PostgresGateway

    private static let columns = "version, document, source_name, digest, created_at, created_by, comment"

    func latest() async throws -> StoredPolicy? {
        try await gateway.run { client in
            try await Self.policies(client.query(
                "SELECT \(unescaped: Self.columns) FROM policies ORDER BY version DESC LIMIT 1")).first
        }
    }

    func append(document: String, sourceName: String, digest: String, createdBy: String, comment: String) async throws -> StoredPolicy {
        let createdAt = Date().atStoragePrecision
        let logger = gateway.logger
        return try await gateway.transaction { connection in
            try await connection.query("LOCK TABLE policies IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            var version = 1
            for try await next in try await connection.query(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM policies", logger: logger
            ).decode(Int.self) {
                version = next
            }
            try await connection.query(
                """
                INSERT INTO policies (\(unescaped: Self.columns)) VALUES (\(version), \(document), \(sourceName), \
                \(digest), \(createdAt.storageMicroseconds), \(createdBy), \(comment))
                """,
                logger: logger)
            return StoredPolicy(
                version: version, document: document, sourceName: sourceName, digest: digest,
                createdAt: createdAt, createdBy: createdBy, comment: comment)
        }
    }

    func version(_ version: Int) async throws -> StoredPolicy? {
        try await gateway.run { client in
            try await Self.policies(client.query(
                "SELECT \(unescaped: Self.columns) FROM policies WHERE version = \(version)")).first
        }
    }

    func history(limit: Int) async throws -> [StoredPolicy] {
        try await gateway.run { client in
            try await Self.policies(client.query(
                "SELECT \(unescaped: Self.columns) FROM policies ORDER BY version DESC LIMIT \(max(0, limit))"))
        }
    }

    private static func policies(_ rows: PostgresRowSequence) async throws -> [StoredPolicy] {
        var policies: [StoredPolicy] = []
        for try await (version, document, sourceName, digest, createdAt, createdBy, comment) in rows.decode(
            (Int, String, String, String, Int64, String, String).self
        ) {
            policies.append(StoredPolicy(
                version: version, document: document, sourceName: sourceName, digest: digest,
                createdAt: Date(storageMicroseconds: createdAt), createdBy: createdBy, comment: comment))
        }
        return policies
    }
}
