import Foundation

/// An event to record, before it is placed in the hash chain.
public struct AuditEvent: Sendable, Equatable {
    public var time: Date
    public var requestID: String
    public var subject: String
    public var action: String
    public var resource: String
    /// "allow" / "deny" for decisions, "ok" / "error" for admin actions.
    public var decision: String
    public var reason: String
    /// The caller's network address.
    public var source: String
    /// Extra fields. Sensitive values must be passed through `AuditKey.mac` first.
    public var details: [String: String]

    public init(time: Date = Date(), requestID: String, subject: String, action: String, resource: String, decision: String, reason: String, source: String, details: [String: String] = [:]) {
        self.time = time
        self.requestID = requestID
        self.subject = subject
        self.action = action
        self.resource = resource
        self.decision = decision
        self.reason = reason
        self.source = source
        self.details = details
    }
}
