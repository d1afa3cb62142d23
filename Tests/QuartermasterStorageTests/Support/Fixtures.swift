import Foundation
import QuartermasterStorage

/// A seal function like the audit service's, with a stand-in hash.
func seal(
    subject: String = "spiffe://example.org/ci",
    time: Date = Date(timeIntervalSince1970: 1_700_000_000.123456),
    details: [String: String] = ["client": "ci"]
) -> @Sendable (AuditChainHead) throws -> AuditRecord {
    { head in
        let sequence = head.sequence + 1
        return AuditRecord(
            sequence: sequence, time: time, requestID: "request-\(sequence)", subject: subject,
            action: "token.exchange", resource: "secret/db", decision: "allow", reason: "policy.yaml:12",
            source: "127.0.0.1", details: details, previousHash: head.hash, hash: fakeHash(sequence, subject))
    }
}

/// A 64-hex-digit stand-in for a record hash, distinct per sequence and subject.
func fakeHash(_ sequence: Int64, _ subject: String) -> String {
    let hex = String(UInt64(bitPattern: sequence) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(subject.utf8.count), radix: 16)
    return String(repeating: "a", count: 64 - hex.count) + hex
}

/// A credential with fixed, microsecond-exact timestamps.
func credential(id: String, kind: String = "admin_token", expires: Bool = true) -> StoredCredential {
    StoredCredential(
        id: id, kind: kind, identity: "admin", secretHash: String(repeating: "5", count: 64),
        createdAt: Date(timeIntervalSince1970: 1_700_000_000.654321),
        expiresAt: expires ? Date(timeIntervalSince1970: 1_800_000_000.000001) : nil)
}

/// Fails a seal on purpose.
struct SealFailure: Error, Equatable {}

extension StorageError {
    var isConflict: Bool {
        if case .conflict = self { true } else { false }
    }

    var isUnavailable: Bool {
        if case .unavailable = self { true } else { false }
    }

    var isInvalidURL: Bool {
        if case .invalidURL = self { true } else { false }
    }
}
