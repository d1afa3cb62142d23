import Dispatch
import Foundation
import Logging
import Synchronization

/// `AuditStore` on an SQLite file, for the one process that owns it: an append seals the
/// batch against the chain head kept in memory and writes it to the `AuditJournal` before it
/// returns, so an acknowledged record survives the process being killed. A flush, at most
/// `flushInterval` later (sooner past `flushThreshold` records), commits the journaled
/// records to the `audit_records` table in one transaction synced to disk, then deletes
/// their journal segments; a restart commits whatever a killed process left in the journal.
///
/// Why: a table transaction per batch costs about 45 µs of CPU per secret read at 8
/// connections, a journal write a few (docs/PERFORMANCE.md, fifth pass). The cost is a
/// bounded window: on power loss, records appended in the last `flushInterval` can be lost.
///
/// The appending thread and the flush share one lock, which the flush holds only to take the
/// waiting records (an O(1) swap) and to ask for a new segment; the appending thread starts
/// that segment itself at its next append, so no file is opened or removed under the lock.
/// The flush inserts in chunks and yields its core between them (`sched_yield`): a request
/// thread waiting for that core then waits for one chunk, not for the whole flush.
///
/// Reads (`records`, `head`) flush first, so they see every record appended before them.
/// When the database cannot take a flush, records stay journaled and the flush is retried;
/// past `maxPending` waiting records, appends fail (`StorageError.unavailable`) rather than
/// let the journal grow without bound.
final class SQLiteJournaledAuditStore: ImmediateAuditStore {
    private struct State {
        let journal: AuditJournal
        /// The end of the chain, journaled records included.
        var head: AuditChainHead
        /// Journaled records not yet committed to the table, oldest first.
        var pending: [AuditRecord] = []
        /// The flush asks the appending thread to start a new segment.
        var rotationRequested = false
        var flushScheduled = false
        var closed = false
    }

    private let table: SQLiteAuditStore
    private let journalDirectory: String
    private let state: Mutex<State>
    private let flushQueue = DispatchQueue(label: "quartermaster.audit.flush")
    private let flushInterval: Duration
    private let flushThreshold: Int
    private let maxPending: Int
    private let logger = Logger(label: "quartermaster.storage.audit")
    /// Records a flush inserts (about 0.3 ms of CPU) between yields of its core, so request
    /// threads waiting for that core get it within a chunk rather than after the whole flush.
    private static let flushChunkSize = 32

    /// Opens and locks the journal at `journalDirectory` and commits to the table the records
    /// a previous process left there.
    ///
    /// - Throws: `StorageError.unavailable` when the journal is locked by another process,
    ///   damaged, or does not continue this database's chain.
    init(database: SQLiteDatabase, journalDirectory: String, flushInterval: Duration = .milliseconds(50), flushThreshold: Int = 1024, maxPending: Int = 100_000) throws {
        table = SQLiteAuditStore(database: database)
        self.journalDirectory = journalDirectory
        self.flushInterval = flushInterval
        self.flushThreshold = flushThreshold
        self.maxPending = maxPending
        let journal = try AuditJournal(directory: journalDirectory)
        let head: AuditChainHead
        do {
            let left = try journal.recordsBeforeActive()
            do {
                head = try table.insertBlocking(left)
            } catch StorageError.conflict(let detail) {
                throw StorageError.unavailable("the audit journal \(journalDirectory) does not continue this database's audit log (\(detail))")
            }
            try AuditJournal.removeSegments(in: journalDirectory, before: journal.activeSegment)
        } catch {
            journal.close()
            throw error
        }
        state = Mutex(State(journal: journal, head: head))
    }

    /// Seals and journals the batch under the lock; returns once it is written to the journal
    /// (a lock and the page cache only, so it does not suspend).
    func append(count: Int, _ seal: @Sendable (AuditChainHead, Int) throws -> AuditRecord) async throws -> [AuditRecord] {
        try appendUnderLock { state in
            var head = state.head
            var records: [AuditRecord] = []
            records.reserveCapacity(count)
            for index in 0..<count {
                let record = try seal(head, index).linked(to: head)
                records.append(record)
                head = AuditChainHead(sequence: record.sequence, hash: record.hash)
            }
            try state.journal.append(records)
            return records
        }
    }

    /// Links and journals one record whose line is begun before the lock is taken, so the lock
    /// is held for the HMAC and the write only.
    func appendImmediately(_ record: AuditRecord, hash: (AuditChainHead) -> String) throws -> AuditRecord {
        var record = record
        record.time = record.time.atStoragePrecision
        let lineStart = AuditJournal.lineStart(record)
        let written = try appendUnderLock { state in
            record = record.placed(after: state.head, hash: hash(state.head))
            try state.journal.append(lineStart, linking: record)
            return [record]
        }
        return written[0]
    }

    /// Runs `write`, which journals records after `state.head`, under the lock once appends
    /// may go on (the log is open, not too far behind, on a fresh segment when the flush asked
    /// for one); then moves the head past those records, keeps them for the flush and
    /// schedules it.
    private func appendUnderLock(_ write: (inout State) throws -> [AuditRecord]) throws -> [AuditRecord] {
        let (records, flushNow) = try state.withLock { state -> ([AuditRecord], Bool) in
            guard !state.closed else { throw StorageError.unavailable("the audit log is closed") }
            guard state.pending.count < maxPending else {
                throw StorageError.unavailable("\(state.pending.count) audit records wait for the database, which does not take them")
            }
            if state.rotationRequested {
                try state.journal.rotate()
                state.rotationRequested = false
            }
            let records = try write(&state)
            guard let last = records.last else { return (records, false) }
            state.head = AuditChainHead(sequence: last.sequence, hash: last.hash)
            state.pending.append(contentsOf: records)
            let crossedThreshold = state.pending.count >= flushThreshold && state.pending.count - records.count < flushThreshold
            if !state.flushScheduled && !crossedThreshold {
                state.flushScheduled = true
                scheduleFlush(after: flushInterval)
            }
            return (records, crossedThreshold)
        }
        if flushNow { flushQueue.async { self.flush() } }
        return records
    }

    func records(_ query: AuditQuery) async throws -> [AuditRecord] {
        await onFlushQueue { self.flush() }
        return try await table.records(query)
    }

    func head() async throws -> AuditChainHead {
        await onFlushQueue { self.flush() }
        return try await table.head()
    }

    /// Commits what is journaled, then closes the journal; later appends fail.
    func close() async {
        await onFlushQueue {
            self.flush()
            self.state.withLock { state in
                guard !state.closed else { return }
                state.closed = true
                state.journal.close()
            }
        }
    }

    private func onFlushQueue(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            flushQueue.async {
                work()
                done.resume()
            }
        }
    }

    private func scheduleFlush(after delay: Duration) {
        let (seconds, attoseconds) = delay.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        flushQueue.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
            self.state.withLock { $0.flushScheduled = false }
            self.flush()
        }
    }

    /// Commits every journaled record to the table in one transaction and deletes the journal
    /// segments that held only committed records. Runs on `flushQueue` only.
    private func flush() {
        // Swapped in for the appends that follow: allocated here, outside the lock, so that
        // they do not grow it under the lock.
        var taking: [AuditRecord] = []
        taking.reserveCapacity(flushThreshold)
        let taken = state.withLock { state -> (batch: [AuditRecord], segment: Int)? in
            guard !state.pending.isEmpty, !state.closed else { return nil }
            swap(&taking, &state.pending)
            state.rotationRequested = true
            return (taking, state.journal.activeSegment)
        }
        guard let (batch, segment) = taken else { return }
        do {
            _ = try table.insertBlocking(batch, chunkSize: Self.flushChunkSize) { sched_yield() }
        } catch {
            logger.error("audit records cannot be moved from the journal to the database; retrying in 1 s", metadata: ["error": "\(error)"])
            state.withLock { state in
                state.pending = batch + state.pending
                if !state.flushScheduled {
                    state.flushScheduled = true
                    scheduleFlush(after: .seconds(1))
                }
            }
            return
        }
        // Records appended after the swap may share `segment`; it goes at the next flush.
        do {
            try AuditJournal.removeSegments(in: journalDirectory, before: segment)
        } catch {
            logger.error("committed audit journal segments cannot be removed", metadata: ["error": "\(error)"])
        }
    }
}
