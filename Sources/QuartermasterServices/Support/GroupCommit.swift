import Dispatch
import QuartermasterStorage
import Synchronization

/// Group commit: items submitted while a commit is in flight are committed together in the
/// next one, so many concurrent requests share one storage transaction (and one sync to
/// disk) instead of queueing one each. Each caller still returns only once its own item is
/// durably stored, with what the commit returned for it.
///
/// Batches are committed by a task (`Commit`, for storage with an async driver such as
/// PostgreSQL) or by a dispatch queue of their own (`BlockingCommit`, for storage that
/// blocks the calling thread, such as SQLite): the queue goes from one batch to the next
/// without waiting for a turn on an event loop busy with requests.
///
/// A caller waits at most `timeout`: a watchdog, running only while callers wait, fails the
/// ones past their deadline with `TimeoutError`, even when storage hangs. A failed commit
/// fails every caller in its batch.
final class GroupCommit<Item: Sendable, Output: Sendable>: Sendable {
    /// Stores a batch in one transaction; returns one output per item, in order.
    typealias Commit = @Sendable ([Item]) async throws -> [Output]
    /// Stores a batch in one transaction on the calling thread; returns one output per item.
    typealias BlockingCommit = @Sendable ([Item]) throws -> [Output]

    private enum Committer {
        case task(Commit)
        case queue(BlockingCommit, DispatchQueue)
    }

    private typealias Waiter = CheckedContinuation<Output, any Error>

    private struct Waiting {
        let waiter: Waiter
        let deadline: ContinuousClock.Instant
    }

    private struct State {
        /// Items not yet handed to storage, with their tickets, oldest first.
        var queue: [(ticket: UInt64, item: Item)] = []
        /// Callers not yet answered, by ticket.
        var waiting: [UInt64: Waiting] = [:]
        var nextTicket: UInt64 = 0
        var committing = false
        var watching = false
    }

    private let committer: Committer
    private let timeout: Duration
    private let maxBatch: Int
    private let maxPending: Int
    private let state = Mutex(State())

    /// - Parameters:
    ///   - maxBatch: items committed in one transaction at most.
    ///   - maxPending: submissions are refused at once (`StorageError.unavailable`) when this
    ///     many callers already wait (storage is stuck).
    init(timeout: Duration, maxBatch: Int = 512, maxPending: Int = 10_000, commit: @escaping Commit) {
        self.committer = .task(commit)
        self.timeout = timeout
        self.maxBatch = maxBatch
        self.maxPending = maxPending
    }

    /// Commits with `commit` on a serial dispatch queue named `label`; other parameters as above.
    init(timeout: Duration, maxBatch: Int = 512, maxPending: Int = 10_000, label: String, blockingCommit commit: @escaping BlockingCommit) {
        self.committer = .queue(commit, DispatchQueue(label: label))
        self.timeout = timeout
        self.maxBatch = maxBatch
        self.maxPending = maxPending
    }

    /// Commits `item` in the next batch and returns its output; throws `TimeoutError` when
    /// that takes longer than the timeout, or the commit's error.
    func submit(_ item: Item) async throws -> Output {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        return try await withCheckedThrowingContinuation { (waiter: Waiter) in
            var startCommitting = false
            var startWatchdog = false
            let accepted = state.withLock { state -> Bool in
                guard state.waiting.count < maxPending else { return false }
                let ticket = state.nextTicket
                state.nextTicket += 1
                state.queue.append((ticket, item))
                state.waiting[ticket] = Waiting(waiter: waiter, deadline: deadline)
                if !state.committing { state.committing = true; startCommitting = true }
                if !state.watching { state.watching = true; startWatchdog = true }
                return true
            }
            guard accepted else {
                waiter.resume(throwing: StorageError.unavailable("too many writes are waiting for storage"))
                return
            }
            if startCommitting {
                switch committer {
                case .task(let commit): Task { await self.drain(commit) }
                case .queue(let commit, let queue): queue.async { self.drain(commit) }
                }
            }
            if startWatchdog { Task { await self.watch() } }
        }
    }

    /// Commits batches until nothing is queued.
    private func drain(_ commit: Commit) async {
        while let batch = nextBatch() {
            let result: Result<[Output], any Error>
            do {
                result = .success(try await commit(batch.map(\.item)))
            } catch {
                result = .failure(error)
            }
            answer(batch, with: result)
        }
    }

    /// Commits batches on the calling thread until nothing is queued.
    private func drain(_ commit: BlockingCommit) {
        while let batch = nextBatch() {
            answer(batch, with: Result { try commit(batch.map(\.item)) })
        }
    }

    /// The oldest queued items, or nil (and no longer committing) when none is queued.
    private func nextBatch() -> [(ticket: UInt64, item: Item)]? {
        state.withLock { state in
            guard !state.queue.isEmpty else {
                state.committing = false
                return nil
            }
            let batch = Array(state.queue.prefix(maxBatch))
            state.queue.removeFirst(batch.count)
            return batch
        }
    }

    /// Resumes the batch's callers still waiting with their outputs, or with the error.
    private func answer(_ batch: [(ticket: UInt64, item: Item)], with result: Result<[Output], any Error>) {
        var result = result
        if case .success(let outputs) = result, outputs.count != batch.count {
            result = .failure(StorageError.unavailable("a commit returned \(outputs.count) results for \(batch.count) items"))
        }
        let waiters = state.withLock { state in batch.map { state.waiting.removeValue(forKey: $0.ticket)?.waiter } }
        switch result {
        case .success(let outputs):
            for (waiter, output) in zip(waiters, outputs) { waiter?.resume(returning: output) }
        case .failure(let error):
            for waiter in waiters { waiter?.resume(throwing: error) }
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
