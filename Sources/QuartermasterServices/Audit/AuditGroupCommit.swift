import QuartermasterStorage
import Synchronization

/// Group commit for the audit log: records submitted while a write is in flight are
/// appended together in the next transaction, so many concurrent requests share one commit
/// (and one sync to disk) instead of queueing one commit each. Each caller still returns
/// only once its own record is durably stored.
///
/// A caller waits at most `timeout`: a watchdog, running only while callers wait, fails
/// the ones past their deadline with `TimeoutError`, even when storage hangs.
final class AuditGroupCommit: Sendable {
    private typealias Waiter = CheckedContinuation<AuditRecord, any Error>

    private struct Waiting {
        let waiter: Waiter
        let deadline: ContinuousClock.Instant
    }

    private struct State {
        /// Events not yet handed to storage, with their tickets, oldest first.
        var queue: [(ticket: UInt64, event: AuditEvent)] = []
        /// Callers not yet answered, by ticket.
        var waiting: [UInt64: Waiting] = [:]
        var nextTicket: UInt64 = 0
        var writing = false
        var watching = false
    }

    /// Records written in one transaction at most.
    static let maxBatch = 512
    /// Submissions refused at once when this many are already waiting (storage is stuck).
    static let maxPending = 10_000

    private let store: any AuditStore
    private let chain: AuditChain
    private let timeout: Duration
    private let state = Mutex(State())

    init(store: any AuditStore, chain: AuditChain, timeout: Duration) {
        self.store = store
        self.chain = chain
        self.timeout = timeout
    }

    /// Appends `event` in the next batch and returns its stored record; throws
    /// `TimeoutError` when that takes longer than the timeout.
    func submit(_ event: AuditEvent) async throws -> AuditRecord {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        return try await withCheckedThrowingContinuation { (waiter: Waiter) in
            enum Outcome { case queued, full }
            var startWriter = false
            var startWatchdog = false
            let outcome = state.withLock { state -> Outcome in
                guard state.waiting.count < Self.maxPending else { return .full }
                let ticket = state.nextTicket
                state.nextTicket += 1
                state.queue.append((ticket, event))
                state.waiting[ticket] = Waiting(waiter: waiter, deadline: deadline)
                if !state.writing { state.writing = true; startWriter = true }
                if !state.watching { state.watching = true; startWatchdog = true }
                return .queued
            }
            if case .full = outcome {
                waiter.resume(throwing: StorageError.unavailable("too many audit records are waiting for storage"))
                return
            }
            if startWriter { Task { await self.drain() } }
            if startWatchdog { Task { await self.watch() } }
        }
    }

    /// Writes batches until nothing is queued.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [(ticket: UInt64, event: AuditEvent)] in
                guard !state.queue.isEmpty else {
                    state.writing = false
                    return []
                }
                let batch = Array(state.queue.prefix(Self.maxBatch))
                state.queue.removeFirst(batch.count)
                return batch
            }
            guard !batch.isEmpty else { return }
            let chain = self.chain
            let result: Result<[AuditRecord], any Error>
            do {
                result = .success(try await store.append(count: batch.count) { head, index in chain.seal(batch[index].event, after: head) })
            } catch {
                result = .failure(error)
            }
            let waiters = state.withLock { state in batch.map { state.waiting.removeValue(forKey: $0.ticket)?.waiter } }
            switch result {
            case .success(let records):
                for (waiter, record) in zip(waiters, records) { waiter?.resume(returning: record) }
            case .failure(let error):
                for waiter in waiters { waiter?.resume(throwing: error) }
            }
        }
    }

    /// Fails callers past their deadline; stops when nobody waits.
    private func watch() async {
        let interval = min(timeout / 4, .milliseconds(250))
        while true {
            try? await Task.sleep(for: interval)
            let now = ContinuousClock.now
            let (expired, keepWatching) = state.withLock { state -> ([Waiter], Bool) in
                let late = state.waiting.filter { $0.value.deadline <= now }
                for ticket in late.keys { state.waiting.removeValue(forKey: ticket) }
                if state.waiting.isEmpty { state.watching = false }
                return (late.values.map(\.waiter), state.watching)
            }
            for waiter in expired { waiter.resume(throwing: TimeoutError()) }
            if !keepWatching { return }
        }
    }
}
