import QuartermasterCore

extension Decision {
    /// The denial given while no policy is in force.
    static func noPolicy(for request: AuthorizationRequest) -> Decision {
        Decision(allowed: false, reason: "no policy is in force; everything is denied", grant: nil)
    }
}
