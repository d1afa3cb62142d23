import Synchronization

/// Values kept by key and shared across threads, up to a capacity: when full, the cache starts
/// over empty, which is simpler than an eviction order and enough for working sets well
/// below the capacity.
public final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let capacity: Int
    private let entries = Mutex<[Key: Value]>([:])

    /// A cache holding at most `capacity` values.
    public init(capacity: Int) {
        self.capacity = capacity
    }

    /// The value kept for `key`, or what `compute` returns, kept from then on. When `compute`
    /// throws, nothing is kept.
    public func value<Failure: Error>(for key: Key, compute: () throws(Failure) -> Value) throws(Failure) -> Value {
        if let kept = entries.withLock({ $0[key] }) { return kept }
        let value = try compute()
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = value
        }
        return value
    }
}
