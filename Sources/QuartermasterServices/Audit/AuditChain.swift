import Foundation
import QuartermasterCrypto
import QuartermasterStorage

/// Places events in the hash chain and checks a chain read back from storage.
///
/// Each record's hash is an HMAC (under the audit key) over the previous record's hash,
/// its own sequence number and every field, so editing, deleting, inserting or
/// reordering records breaks the chain at the first record touched, and nobody without
/// the key can rebuild a valid chain after the fact.
public struct AuditChain: Sendable {
    private let key: AuditKey

    public init(key: AuditKey) {
        self.key = key
    }

    /// The record for `event` linked after `head`. Times are kept to the millisecond.
    public func seal(_ event: AuditEvent, after head: AuditChainHead) -> AuditRecord {
        var record = AuditRecord(
            sequence: head.sequence + 1,
            time: Self.truncatedToMilliseconds(event.time),
            requestID: event.requestID,
            subject: event.subject,
            action: event.action,
            resource: event.resource,
            decision: event.decision,
            reason: event.reason,
            source: event.source,
            details: event.details,
            previousHash: head.hash,
            hash: ""
        )
        record.hash = hash(of: record)
        return record
    }

    /// The hash `record` must carry, computed from its contents.
    public func hash(of record: AuditRecord) -> String {
        var fields = [
            record.previousHash,
            String(record.sequence),
            String(Self.milliseconds(record.time)),
            record.requestID,
            record.subject,
            record.action,
            record.resource,
            record.decision,
            record.reason,
            record.source,
        ]
        for (name, value) in record.details.sorted(by: { $0.key < $1.key }) {
            fields.append(name)
            fields.append(value)
        }
        return key.chainMAC(fields: fields)
    }

    static func milliseconds(_ time: Date) -> Int64 {
        Int64((time.timeIntervalSince1970 * 1000).rounded())
    }

    static func truncatedToMilliseconds(_ time: Date) -> Date {
        Date(timeIntervalSince1970: Double(Int64((time.timeIntervalSince1970 * 1000).rounded(.down))) / 1000)
    }
}
