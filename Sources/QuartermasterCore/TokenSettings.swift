/// How tokens are issued to one identity: their default lifetime and the audiences they may carry.
public struct TokenSettings: Sendable, Hashable {
    /// The audiences an identity's tokens may carry when its policy names none.
    public static let defaultAudiences = ["quartermaster"]

    /// The default lifetime of the identity's tokens; the issuer's own default when `nil`.
    public var ttl: Duration?
    /// The audiences tokens for the identity may carry.
    public var audiences: [String]
    /// Where the `token` mapping starts.
    public var location: SourceLocation

    /// Creates token settings; audiences default to `quartermaster`.
    public init(ttl: Duration? = nil, audiences: [String] = TokenSettings.defaultAudiences, location: SourceLocation) {
        self.ttl = ttl
        self.audiences = audiences
        self.location = location
    }
}
