import Synchronization

/// Limits applied to every request. Set once at start from the configuration.
public enum RequestLimits {
    private static let bodyLimit = Atomic<Int>(1 << 20)

    /// The largest request body accepted, in bytes; larger bodies get 413.
    public static var maxBodyBytes: Int {
        get { bodyLimit.load(ordering: .relaxed) }
        set { bodyLimit.store(newValue, ordering: .relaxed) }
    }
}
