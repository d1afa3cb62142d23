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
        prepare(event).sealed(after: head)
    }

    /// `event` as a record still to be placed in the chain, with every field the hash covers
    /// after the head's already encoded: placing it (`PreparedAuditRecord.sealed(after:)`)
    /// costs one HMAC, which is what a store runs under its lock.
    public func prepare(_ event: AuditEvent) -> PreparedAuditRecord {
        let record = AuditRecord(
            sequence: 0,
            time: Self.truncatedToMilliseconds(event.time),
            requestID: event.requestID,
            subject: event.subject,
            action: event.action,
            resource: event.resource,
            decision: event.decision,
            reason: event.reason,
            source: event.source,
            details: event.details,
            previousHash: "",
            hash: ""
        )
        return PreparedAuditRecord(record: record, encodedFields: AuditKey.encode(Self.fieldsAfterLink(record)), key: key)
    }

    /// The hash `record` must carry, computed from its contents.
    public func hash(of record: AuditRecord) -> String {
        key.chainMAC(leading: Self.linkFields(previousHash: record.previousHash, sequence: record.sequence), encodedFields: AuditKey.encode(Self.fieldsAfterLink(record)))
    }

    /// The first fields the hash covers: the link to the previous record.
    static func linkFields(previousHash: String, sequence: Int64) -> [String] {
        [previousHash, String(sequence)]
    }

    /// The fields the hash covers after the link, in order: every field, then each detail's
    /// name and value by name.
    static func fieldsAfterLink(_ record: AuditRecord) -> [String] {
        var fields = [
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
        return fields
    }

    static func milliseconds(_ time: Date) -> Int64 {
        Int64((time.timeIntervalSince1970 * 1000).rounded())
    }

    static func truncatedToMilliseconds(_ time: Date) -> Date {
        Date(timeIntervalSince1970: Double(Int64((time.timeIntervalSince1970 * 1000).rounded(.down))) / 1000)
    }
}

/// An audit record whose fields are set and encoded, still to be placed after a chain head.
public struct PreparedAuditRecord: Sendable {
    /// The record with sequence 0 and empty hashes.
    public let record: AuditRecord
    fileprivate let encodedFields: [UInt8]
    fileprivate let key: AuditKey

    /// The hash the record carries when it follows `head`.
    public func hash(after head: AuditChainHead) -> String {
        key.chainMAC(leading: AuditChain.linkFields(previousHash: head.hash, sequence: head.sequence + 1), encodedFields: encodedFields)
    }

    /// The record placed after `head`: the next sequence, linked to the head's hash.
    public func sealed(after head: AuditChainHead) -> AuditRecord {
        record.placed(after: head, hash: hash(after: head))
    }
}
