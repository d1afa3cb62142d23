import Foundation
import PostgresNIO

/// `AuditStore` on PostgreSQL. An append locks the `audit_head` row (`FOR UPDATE`) for its
/// transaction, so appends from every replica are serialized on the chain head.
struct PostgresAuditStore: AuditStore {
    let gateway: PostgresGateway

    private static let columns = """
        sequence, "time", request_id, subject, action, resource, decision, reason, source, \
        details, previous_hash, hash
        """

    func append(count: Int, _ seal: @Sendable (AuditChainHead, Int) throws -> AuditRecord) async throws -> [AuditRecord] {
        let logger = gateway.logger
        return try await gateway.transaction { connection in
            var head = try await Self.head(
                connection.query("SELECT sequence, hash FROM audit_head WHERE id = 1 FOR UPDATE", logger: logger))
            var records: [AuditRecord] = []
            records.reserveCapacity(count)
            for index in 0..<count {
                let record = try seal(head, index).linked(to: head)
                let details = record.detailsJSON
                try await connection.query(
                    """
                    INSERT INTO audit_records (\(unescaped: Self.columns)) VALUES (\(record.sequence), \
                    \(record.time.storageMicroseconds), \(record.requestID), \(record.subject), \(record.action), \
                    \(record.resource), \(record.decision), \(record.reason), \(record.source), \(details), \
                    \(record.previousHash), \(record.hash))
                    """,
                    logger: logger)
                head = AuditChainHead(sequence: record.sequence, hash: record.hash)
                records.append(record)
            }
            try await connection.query(
                "UPDATE audit_head SET sequence = \(head.sequence), hash = \(head.hash) WHERE id = 1",
                logger: logger)
            return records
        }
    }

    func records(_ query: AuditQuery) async throws -> [AuditRecord] {
        var bindings = PostgresBindings()
        var conditions: [String] = []
        if let subject = query.subject {
            bindings.append(subject)
            conditions.append("subject = $\(bindings.count)")
        }
        if let since = query.since {
            bindings.append(since.storageMicroseconds)
            conditions.append("\"time\" >= $\(bindings.count)")
        }
        if let afterSequence = query.afterSequence {
            bindings.append(afterSequence)
            conditions.append("sequence > $\(bindings.count)")
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        bindings.append(Int64(max(0, query.limit)))
        let sql = "SELECT \(Self.columns) FROM audit_records \(filter) ORDER BY sequence LIMIT $\(bindings.count)"
        return try await gateway.run { client in
            var records: [AuditRecord] = []
            for try await row in try await client.query(PostgresQuery(unsafeSQL: sql, binds: bindings)) {
                records.append(try Self.record(row))
            }
            return records
        }
    }

    func head() async throws -> AuditChainHead {
        try await gateway.run { client in
            try await Self.head(client.query("SELECT sequence, hash FROM audit_head WHERE id = 1"))
        }
    }

    private static func head(_ rows: PostgresRowSequence) async throws -> AuditChainHead {
        var head: AuditChainHead?
        for try await (sequence, hash) in rows.decode((Int64, String).self) {
            head = AuditChainHead(sequence: sequence, hash: hash)
        }
        guard let head else {
            throw StorageError.unavailable("the audit_head row is missing")
        }
        return head
    }

    private static func record(_ row: PostgresRow) throws -> AuditRecord {
        let (sequence, time, requestID, subject, action, resource, decision, reason, source, details, previousHash, hash) =
            try row.decode((Int64, Int64, String, String, String, String, String, String, String, String, String, String).self)
        return AuditRecord(
            sequence: sequence, time: Date(storageMicroseconds: time), requestID: requestID, subject: subject,
            action: action, resource: resource, decision: decision, reason: reason, source: source,
            details: try AuditRecord.details(fromJSON: details), previousHash: previousHash, hash: hash)
    }
}
