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
        let decision = evaluate(principal, action: action, resource: resource, context: context, request: request)
        try await audit.record(event(principal, decision: decision, action: action, resource: resource, reason: decision.reason, context: context, details: [:], request: request))
        guard decision.allowed else { throw ServiceError.forbidden(decision.reason) }
        return decision
    }

    /// Decides like `authorize`, but an allowed request is not recorded yet: the caller acts,
    /// then writes the decision and its outcome as one record with `recordAllowed`, whether the
    /// action succeeded or failed. A denial is recorded and thrown at once. For hot read paths,
    /// where two records per request would double the audit cost.
    public func decide(_ principal: Principal, action: String, resource: String, context: [String: String] = [:], request: RequestInfo) async throws -> Decision {
        let decision = evaluate(principal, action: action, resource: resource, context: context, request: request)
        guard decision.allowed else {
            try await audit.record(event(principal, decision: decision, action: action, resource: resource, reason: decision.reason, context: context, details: [:], request: request))
            throw ServiceError.forbidden(decision.reason)
        }
        return decision
    }

    /// The one record of a request `decide` allowed: the decision, and what came of it
    /// (`outcome`, such as "read version 3" or the error that stopped it).
    public func recordAllowed(_ principal: Principal, decision: Decision, action: String, resource: String, outcome: String, context: [String: String] = [:], details: [String: String] = [:], request: RequestInfo) async throws {
        try await audit.record(event(principal, decision: decision, action: action, resource: resource, reason: "\(decision.reason); \(outcome)", context: context, details: details, request: request))
    }

    private func evaluate(_ principal: Principal, action: String, resource: String, context: [String: String], request: RequestInfo) -> Decision {
        var attributes = context
        for (name, value) in principal.attributes { attributes[name] = value }
        attributes["source_ip"] = Self.address(of: request.source)
        let decision = policies.decide(AuthorizationRequest(subject: principal.identity, action: action, resource: resource, context: attributes))
        if decision.allowed, let limited = principal.attributes[Principal.rolesAttribute]?.split(separator: ","), let role = decision.grant?.role, !limited.contains(Substring(role)) {
            return Decision(allowed: false, reason: "the credential is limited to roles \(limited.joined(separator: ", ")); the allowing grant belongs to role \(role)", grant: decision.grant)
        }
        return decision
    }

    private func event(_ principal: Principal, decision: Decision, action: String, resource: String, reason: String, context: [String: String], details extra: [String: String], request: RequestInfo) -> AuditEvent {
        var details = ["auth_method": principal.method, "credential_id": principal.credentialID]
        for (name, value) in context { details["context." + name] = value }
        for (name, value) in extra { details[name] = value }
        return AuditEvent(
            requestID: request.requestID,
            subject: principal.identity,
            action: action,
            resource: resource,
            decision: decision.allowed ? "allow" : "deny",
            reason: reason,
            source: request.source,
            details: details
        )
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
