/// When and how credentials of a provider instance are refreshed (the `refresh` mapping).
/// Every value is optional; the defaults that depend on a credential's lifetime are worked out
/// when the lifetime is known.
public struct RefreshSettings: Sendable, Hashable {
    /// The longest default window: 5 minutes.
    public static let defaultMaximumWindow: Duration = .seconds(300)
    /// The shortest wait between failed attempts when `min_backoff` is not given.
    public static let defaultMinBackoff: Duration = .seconds(1)
    /// The longest wait between failed attempts when `max_backoff` is not given.
    public static let defaultMaxBackoff: Duration = .seconds(300)
    /// The time limit of one attempt when `timeout` is not given.
    public static let defaultTimeout: Duration = .seconds(10)

    /// How long before expiry to refresh; `nil` for the default (see `window(forLifetime:)`).
    public let window: Duration?
    /// The most a refresh is moved earlier at random; `nil` for 10% of the window.
    public let jitter: Duration?
    /// The first wait after a failed attempt.
    public let minBackoff: Duration
    /// The longest wait between failed attempts, at least `minBackoff`.
    public let maxBackoff: Duration
    /// The time limit of one attempt.
    public let timeout: Duration

    /// Creates settings; omitted values take the defaults.
    public init(
        window: Duration? = nil,
        jitter: Duration? = nil,
        minBackoff: Duration = Self.defaultMinBackoff,
        maxBackoff: Duration = Self.defaultMaxBackoff,
        timeout: Duration = Self.defaultTimeout
    ) {
        self.window = window
        self.jitter = jitter
        self.minBackoff = minBackoff
        self.maxBackoff = maxBackoff
        self.timeout = timeout
    }

    /// How long before expiry a credential with this lifetime is refreshed: the configured
    /// window, or else the later of the two refresh times "5 minutes before expiry" and "20% of
    /// the lifetime before expiry", that is the shorter of the two windows. A 1-hour credential
    /// is refreshed 5 minutes before expiry, a 10-minute one 2 minutes before. A configured
    /// window is returned as written even when it exceeds the lifetime (only known at run time).
    public func window(forLifetime lifetime: Duration) -> Duration {
        window ?? min(Self.defaultMaximumWindow, lifetime / 5)
    }

    /// The jitter for a refresh window: the configured jitter, or else 10% of the window.
    public func jitter(forWindow window: Duration) -> Duration {
        jitter ?? window / 10
    }
}
