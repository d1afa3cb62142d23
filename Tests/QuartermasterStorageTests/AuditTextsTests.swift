import Foundation
@testable import QuartermasterStorage
import Testing

/// SQLite keeps a reason or details text that audit records repeat once, in `audit_texts`,
/// and the records read back whole.
@Suite("SQLite audit texts")
struct AuditTextsTests {
    private static let reason = "allowed by role reader grant read secret/llm/** at policy.yaml:12:3; read version 1"
    private static let details = ["auth_method": "api_key", "value": "hmac-sha256:" + String(repeating: "ab", count: 32)]

    /// A record after `head` with `reason` and `details`.
    private func record(after head: AuditChainHead, reason: String = Self.reason, details: [String: String] = Self.details) -> AuditRecord {
        let sequence = head.sequence + 1
        return AuditRecord(
            sequence: sequence, time: Date(timeIntervalSince1970: 1_700_000_000), requestID: "request-\(sequence)",
            subject: "orchestrator-service", action: "read", resource: "secret/llm/openai", decision: "allow",
            reason: reason, source: "127.0.0.1", details: details, previousHash: head.hash, hash: fakeHash(sequence, "orchestrator-service"))
    }

    @Test("records repeating a reason and details keep each text once and read back whole")
    func repeatedTextsStoredOnce() async throws {
        try await TestDatabase.withBackend(.sqlite) { backend, _ in
            let sqlite = try #require(backend as? SQLiteBackend)
            let first = try await backend.audit.append(count: 4) { head, _ in record(after: head) }
            let second = try await backend.audit.append(count: 2) { head, _ in record(after: head) }

            #expect(try await backend.audit.records(AuditQuery()) == first + second)
            #expect(try await sqlite.integer(sql: "SELECT count(*) FROM audit_texts") == 2)
            let rowsReferring = try await sqlite.integer(sql: """
                SELECT count(*) FROM audit_records \
                WHERE reason = '' AND details = '' AND reason_text IS NOT NULL AND details_text IS NOT NULL
                """)
            #expect(rowsReferring == 5, "the first record keeps its texts; every later one refers to them")
            let filtered = try await backend.audit.records(AuditQuery(subject: "orchestrator-service", afterSequence: 4))
            #expect(filtered == Array(second))
        }
    }

    @Test("a text seen once, or a short one, stays in its row")
    func uniqueAndShortTextsStayInline() async throws {
        try await TestDatabase.withBackend(.sqlite) { backend, _ in
            let sqlite = try #require(backend as? SQLiteBackend)
            let records = try await backend.audit.append(count: 3) { head, index in
                record(after: head, reason: Self.reason + " for caller \(index)", details: ["n": "1"])
            }

            #expect(try await backend.audit.records(AuditQuery()) == records)
            #expect(try await sqlite.integer(sql: "SELECT count(*) FROM audit_texts") == 0)
            #expect(try await sqlite.integer(sql: "SELECT count(*) FROM audit_records WHERE reason_text IS NULL AND details_text IS NULL") == 3)
        }
    }
}
