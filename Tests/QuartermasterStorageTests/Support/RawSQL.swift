import Foundation
@testable import QuartermasterStorage
import Testing

extension TestDatabase {
    /// Runs `sql`, portable statements without arguments, on this database directly, with
    /// `backend` open on it: faster than the stores' one-row writes when a test needs many
    /// rows, and able to write what an older schema holds.
    func execute(on backend: any StorageBackend, _ sql: String) async throws {
        switch kind {
        case .sqlite:
            try await #require(backend as? SQLiteBackend).execute(sql: sql)
        case .postgres:
            try await PostgresAdmin(url: url).execute(sql)
        }
    }

    /// Inserts `key` as a release before version 4 stored it (`signing_keys` without
    /// `root_key_id`), on `backend` open on this database migrated to version 2 or 3.
    func insertSigningKeyBeforeVersion4(_ key: StoredSigningKey, on backend: any StorageBackend) async throws {
        let hex = key.sealedPrivateKey.map { String($0 >> 4, radix: 16) + String($0 & 0xF, radix: 16) }.joined()
        let sealed = kind == .sqlite ? "X'\(hex)'" : "'\\x\(hex)'::bytea"
        try await execute(on: backend, """
            INSERT INTO signing_keys (kid, algorithm, sealed_private_key, public_jwk, created_at, signs_from, \
            signs_until, published_until) VALUES (\(text(key.kid)), \(text(key.algorithm)), \(sealed), \
            \(text(key.publicJWK)), \(key.createdAt.storageMicroseconds), \(key.signsFrom.storageMicroseconds), \
            \(key.signsUntil.storageMicroseconds), \(key.publishedUntil.storageMicroseconds))
            """)
    }
}

extension TestDatabase {
    /// Appends `record` as a release before version 6 stored it (reason and details in the
    /// row itself, no `audit_texts`), on `backend` open on this database at an older version.
    func insertAuditRecordBeforeVersion6(_ record: AuditRecord, on backend: any StorageBackend) async throws {
        try await execute(on: backend, """
            INSERT INTO audit_records (sequence, "time", request_id, subject, action, resource, decision, reason, \
            source, details, previous_hash, hash) VALUES (\(record.sequence), \(record.time.storageMicroseconds), \
            \(text(record.requestID)), \(text(record.subject)), \(text(record.action)), \(text(record.resource)), \
            \(text(record.decision)), \(text(record.reason)), \(text(record.source)), \(text(record.detailsJSON)), \
            \(text(record.previousHash)), \(text(record.hash)))
            """)
        try await execute(on: backend, "UPDATE audit_head SET sequence = \(record.sequence), hash = \(text(record.hash)) WHERE id = 1")
    }
}

/// `value` as an SQL string literal, quotes doubled.
private func text(_ value: String) -> String {
    "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
}
