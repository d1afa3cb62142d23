import QuartermasterStorage
import Synchronization

/// Group commit for the audit log: records submitted while a write is in flight are
/// appended together in the next transaction, so many concurrent requests share one commit
/// (and one sync to disk) instead of queueing one commit each. Each caller still returns
/// only once its own record is durably stored.
final class AuditGroupCommit: Sendable {
    private typealias Waiter = CheckedContinuation<AuditRecord, any Error>

    private struct State {
        var pending: [(event: AuditEvent, waiter: Waiter)] = []
        var writing = false
    }

    /// Records written in one transaction at most.
    static let maxBatch = 512
    /// Submissions refused at once when this many are already waiting (storage is stuck).
    static let maxPending = 10_000

    private let store: any AuditStore
    private let chain: AuditChain
    private let state = Mutex(State())

    init(store: any AuditStore, chain: AuditChain) {
        self.store = store
        self.chain = chain
    }

    /// Appends `event` in the next batch and returns its stored record.
    func submit(_ event: AuditEvent) async throws -> AuditRecord {
        try await withCheckedThrowingContinuation { (waiter: Waiter) in
            enum Outcome { case queued, startWriter, full }
            let outcome = state.withLock { state -> Outcome in
                guard state.pending.count < Self.maxPending else { return .full }
                state.pending.append((event, waiter))
                if state.writing { return .queued }
                state.writing = true
                return .startWriter
            }
            switch outcome {
            case .full: waiter.resume(throwing: StorageError.unavailable("too many audit records are waiting for storage"))
            case .queued: break
            case .startWriter: Task { await self.drain() }
            }
        }
    }

    /// Writes batches until nothing is pending.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [(event: AuditEvent, waiter: Waiter)] in
                guard !state.pending.isEmpty else {
                    state.writing = false
                    return []
                }
                let batch = Array(state.pending.prefix(Self.maxBatch))
                state.pending.removeFirst(batch.count)
                return batch
            }
            guard !batch.isEmpty else { return }
            let events = batch.map(\.event)
            let chain = self.chain
            do {
                let records = try await store.append(count: events.count) { head, index in chain.seal(events[index], after: head) }
                for (entry, record) in zip(batch, records) { entry.waiter.resume(returning: record) }
            } catch {
                for entry in batch { entry.waiter.resume(throwing: error) }
            }
        }
    }
}
