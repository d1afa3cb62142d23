import Foundation
import Logging
import QuartermasterCrypto
import QuartermasterStorage

/// Writes audit records (hash-chained, to storage, then to the optional JSON-lines copy),
/// reads them back and verifies the chain. How a record reaches storage depends on the store:
/// - an `ImmediateAuditStore` (SQLite's audit journal) is appended to on the requesting task,
///   with the record prepared first so that the store's lock covers only its link and write;
/// - a `BlockingAuditStore` (an SQLite table) takes group commits from a dispatch queue of
///   the log's own;
/// - any other store (PostgreSQL) takes group commits from a task.
///
/// A write that fails, or a group commit that takes longer than `writeTimeout`, throws
/// `ServiceError.unavailable`: callers fail the request (503) rather than serve it
/// unaudited or hang. (An immediate append never waits for the disk.)
public struct AuditLog: Sendable {
    private let store: any AuditStore
    private let chain: AuditChain
    private let writer: Writer
    private let key: AuditKey
    private let copy: AuditLineWriter?
    private let logger: Logger

    public init(store: any AuditStore, key: AuditKey, copy: AuditLineWriter? = nil, writeTimeout: Duration = .seconds(2), logger: Logger = Logger(label: "quartermaster.audit")) {
        self.store = store
        let chain = AuditChain(key: key)
        self.chain = chain
        if let store = store as? any ImmediateAuditStore {
            self.writer = .immediate(store)
        } else if let store = store as? any BlockingAuditStore {
            self.writer = .grouped(GroupCommit(timeout: writeTimeout, label: "quartermaster.audit") { events in
                try store.appendBlocking(count: events.count) { head, index in chain.seal(events[index], after: head) }
            })
        } else {
            self.writer = .grouped(GroupCommit(timeout: writeTimeout) { events in
                try await store.append(count: events.count) { head, index in chain.seal(events[index], after: head) }
            })
        }
        self.key = key
        self.copy = copy
        self.logger = logger
    }

    /// How records reach the store.
    private enum Writer: Sendable {
        case immediate(any ImmediateAuditStore)
        case grouped(GroupCommit<AuditEvent, AuditRecord>)
    }

    /// `hmac-sha256:...` of a sensitive value, for `AuditEvent.details`.
    public func mac(_ value: String) -> String { key.mac(value) }

    /// Appends one record; throws `ServiceError.unavailable` when it cannot be written in time.
    @discardableResult
    public func record(_ event: AuditEvent) async throws -> AuditRecord {
        let record: AuditRecord
        do {
            switch writer {
            case .immediate(let store):
                let prepared = chain.prepare(event)
                record = try store.appendImmediately(prepared.record, hash: prepared.hash(after:))
            case .grouped(let commit):
                record = try await commit.submit(event)
            }
        } catch {
            logger.error("audit write failed", metadata: ["error": "\(error)", "request_id": "\(event.requestID)"])
            throw ServiceError.unavailable("the audit log cannot be written")
        }
        copy?.write(record)
        return record
    }

    /// Records matching a query, oldest first.
    public func records(_ query: AuditQuery) async throws -> [AuditRecord] {
        do {
            return try await store.records(query)
        } catch {
            throw ServiceError.unavailable("the audit log cannot be read")
        }
    }

    /// The newest `count` records, oldest first.
    public func tail(_ count: Int) async throws -> [AuditRecord] {
        do {
            let head = try await store.head()
            return try await store.records(AuditQuery(afterSequence: max(0, head.sequence - Int64(count)), limit: count))
        } catch {
            throw ServiceError.unavailable("the audit log cannot be read")
        }
    }

    /// Reads the whole chain in pages and names the first bad record.
    public func verify(pageSize: Int = 1000) async throws -> AuditVerification {
        var previous = AuditChainHead.genesis
        var checked: Int64 = 0
        while true {
            let page = try await store.records(AuditQuery(afterSequence: previous.sequence, limit: pageSize))
            for record in page {
                if let problem = check(record, after: previous) {
                    return AuditVerification(recordsChecked: checked, firstProblem: problem)
                }
                previous = AuditChainHead(sequence: record.sequence, hash: record.hash)
                checked += 1
            }
            if page.count < pageSize { break }
        }
        let head = try await store.head()
        if head.sequence > previous.sequence {
            let problem = AuditChainProblem(sequence: previous.sequence + 1, kind: .deleted, detail: "the log ends at record \(previous.sequence) but the chain head is record \(head.sequence)")
            return AuditVerification(recordsChecked: checked, firstProblem: problem)
        }
        if head.sequence < previous.sequence || head.hash != previous.hash {
            let problem = AuditChainProblem(sequence: head.sequence + 1, kind: .inserted, detail: "records follow the chain head (record \(head.sequence))")
            return AuditVerification(recordsChecked: checked, firstProblem: problem)
        }
        return AuditVerification(recordsChecked: checked, firstProblem: nil)
    }

    private func check(_ record: AuditRecord, after previous: AuditChainHead) -> AuditChainProblem? {
        if record.sequence > previous.sequence + 1 {
            return AuditChainProblem(sequence: previous.sequence + 1, kind: .deleted, detail: "record \(previous.sequence + 1) is missing; record \(record.sequence) follows record \(previous.sequence)")
        }
        let contentsMatch = ConstantTime.equals(chain.hash(of: record), record.hash)
        let linksToPrevious = record.previousHash == previous.hash
        switch (contentsMatch, linksToPrevious) {
        case (true, true):
            return nil
        case (false, true):
            return AuditChainProblem(sequence: record.sequence, kind: .edited, detail: "its contents do not match its hash")
        case (true, false):
            return AuditChainProblem(sequence: record.sequence, kind: .reordered, detail: "it links to a different predecessor than record \(previous.sequence)")
        case (false, false):
            return AuditChainProblem(sequence: record.sequence, kind: .inserted, detail: "it neither matches its hash nor links to record \(previous.sequence)")
        }
    }
}
