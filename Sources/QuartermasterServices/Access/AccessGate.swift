import Foundation
import QuartermasterCore

/// The one request path every API call takes: authenticate, authorize, (the caller acts),
/// audit. Every authentication failure and every decision is written to the audit log
/// before the caller answers; if the audit log cannot be written the request fails with
/// `ServiceError.unavailable`.
public struct AccessGate: Sendable {
    public let authenticators: AuthenticatorChain
    public let policies: PolicyService
    public let audit: AuditLog

    public init(authenticators: AuthenticatorChain, policies: PolicyService, audit: AuditLog) {
        self.authenticators = authenticators
        self.policies = policies
        self.audit = audit
    }

    /// Authenticates the bearer credential and authorizes `action` on `resource`.
    /// Returns the principal when allowed; throws `unauthenticated` or `forbidden` otherwise.
    public func admit(bearer: String?, action: String, resource: String, request: RequestInfo) async throws -> Principal {
        let principal = try await authenticate(bearer: bearer, action: action, resource: resource, request: request)
        try await authorize(principal, action: action, resource: resource, request: request)
        return principal
    }

    /// Authenticates the bearer credential; a failure is audited against the attempted
    /// `action` on `resource` and thrown as `unauthenticated`.
    public func authenticate(bearer: String?, action: String, resource: String, request: RequestInfo) async throws -> Principal {
        do {
            return try await authenticators.authenticate(bearer: bearer)
        } catch let error as ServiceError {
            if case .unauthenticated(let reason) = error {
                try await audit.record(AuditEvent(requestID: request.requestID, subject: "anonymous", action: action, resource: resource, decision: "deny", reason: "authentication failed: \(reason)", source: request.source))
            }
            throw error
        }
    }

    /// Decides with the active policy, records the decision (with `context`, which must hold
    /// no secrets), and throws `forbidden` on deny.
    @discardableResult
    public func authorize(_ principal: Principal, action: String, resource: String, context: [String: String] = [:], request: RequestInfo) async throws -> Decision {
        var attributes = context
        for (name, value) in principal.attributes { attributes[name] = value }
        attributes["source_ip"] = Self.address(of: request.source)
        var decision = policies.decide(AuthorizationRequest(subject: principal.identity, action: action, resource: resource, context: attributes))
        if decision.allowed, let limited = principal.attributes[Principal.rolesAttribute]?.split(separator: ","), let role = decision.grant?.role, !limited.contains(Substring(role)) {
            decision = Decision(allowed: false, reason: "the credential is limited to roles \(limited.joined(separator: ", ")); the allowing grant belongs to role \(role)", grant: decision.grant)
        }
        var details = ["auth_method": principal.method, "credential_id": principal.credentialID]
        for (name, value) in context { details["context." + name] = value }
        try await audit.record(AuditEvent(
            requestID: request.requestID,
            subject: principal.identity,
            action: action,
            resource: resource,
            decision: decision.allowed ? "allow" : "deny",
            reason: decision.reason,
            source: request.source,
            details: details
        ))
        guard decision.allowed else { throw ServiceError.forbidden(decision.reason) }
        return decision
    }

    /// Records the outcome of an admin action the caller performed after being admitted.
    public func recordOutcome(_ principal: Principal, action: String, resource: String, outcome: String, reason: String, details: [String: String] = [:], request: RequestInfo) async throws {
        try await audit.record(AuditEvent(requestID: request.requestID, subject: principal.identity, action: action, resource: resource, decision: outcome, reason: reason, source: request.source, details: details))
    }

    /// The IP part of `host:port` or `[v6]:port`.
    static func address(of source: String) -> String {
        if source.hasPrefix("["), let end = source.firstIndex(of: "]") {
            return String(source[source.index(after: source.startIndex)..<end])
        }
        if source.filter({ $0 == ":" }).count == 1, let colon = source.lastIndex(of: ":") {
            return String(source[..<colon])
        }
        return source
    }
}
