/// Why a resource pattern was rejected: as written it can match nothing.
public struct ResourcePatternError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    /// What makes it unmatchable.
    public let reason: String

    /// Creates the error.
    public init(pattern: String, reason: String) {
        self.pattern = pattern
        self.reason = reason
    }

    /// `resource pattern 'x' can match nothing: reason`.
    public var description: String { "resource pattern '\(pattern)' can match nothing: \(reason)" }
}
