import Foundation

extension Duration {
    /// The duration in seconds, as a TimeInterval.
    public var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
