import Synchronization

/// Values read from storage, kept in memory by key for a store that is the only writer of its
/// data (see `SQLiteBackend`).
///
/// A reader takes a `ticket` before it reads storage and offers what it read with that ticket;
/// the offer is refused when anything was invalidated since, so a value read before a
/// concurrent write can never be cached after it. Writers invalidate after their write commits.
/// When full, the cache starts over empty.
final class ReadCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var entries: [Key: Value] = [:]
        var generation: UInt64 = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The cached value for `key`, if any.
    func value(for key: Key) -> Value? {
        state.withLock { $0.entries[key] }
    }

    /// The cached value for `key`, or what `read` returns, cached when not nil and nothing was
    /// invalidated while reading.
    func value(for key: Key, readingWith read: () async throws -> Value?) async throws -> Value? {
        if let cached = value(for: key) { return cached }
        let ticket = ticket()
        guard let value = try await read() else { return nil }
        offer(value, for: key, ticket: ticket)
        return value
    }

    /// Take before reading storage; pass to `offer`.
    func ticket() -> UInt64 {
        state.withLock { $0.generation }
    }

    /// Caches `value` unless something was invalidated after `ticket` was taken.
    func offer(_ value: Value, for key: Key, ticket: UInt64) {
        offer(for: key, ticket: ticket) { _ in value }
    }

    /// Caches `merge(cached value)` unless something was invalidated after `ticket` was taken.
    func offer(for key: Key, ticket: UInt64, merging merge: (Value?) -> Value) {
        state.withLock { state in
            guard state.generation == ticket else { return }
            if state.entries.count >= capacity, state.entries[key] == nil { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = merge(state.entries[key])
        }
    }

    /// Forgets `key` and refuses offers made with earlier tickets.
    func invalidate(_ key: Key) {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeValue(forKey: key)
        }
    }

    /// Forgets everything and refuses offers made with earlier tickets.
    func invalidateAll() {
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll()
        }
    }
}
