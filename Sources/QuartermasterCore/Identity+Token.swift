extension Identity {
    /// The audiences tokens for this identity may carry: those of its `token` settings, or
    /// `quartermaster` when it has none.
    public var allowedAudiences: [String] {
        token?.audiences ?? TokenSettings.defaultAudiences
    }

    /// The default lifetime of this identity's tokens; `nil` leaves it to the issuer.
    public var tokenTTL: Duration? {
        token?.ttl
    }
}
