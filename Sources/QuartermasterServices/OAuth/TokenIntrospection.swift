import Foundation
import QuartermasterCrypto
import QuartermasterStorage

/// Introspection (RFC 7662) and revocation (RFC 7009) of our access tokens.
///
/// Callers authenticate as an OAuth client. A client may revoke only tokens issued to it.
public struct TokenIntrospection: Sendable {
    private let issuer: TokenIssuer
    private let revocations: any RevocationStore
    private let audit: AuditLog
    /// When set, revoking a token also revokes its lease and everything leased under it.
    private let leases: LeaseService?

    public init(issuer: TokenIssuer, revocations: any RevocationStore, audit: AuditLog, leases: LeaseService? = nil) {
        self.issuer = issuer
        self.revocations = revocations
        self.audit = audit
        self.leases = leases
    }

    /// The RFC 7662 answer: the claims when the token is active, `{"active": false}` otherwise.
    public func introspect(_ token: String, caller: String, request: RequestInfo) async throws -> [String: IntrospectionValue] {
        let claims: AccessTokenClaims
        do {
            claims = try await issuer.verify(token, audience: nil)
        } catch {
            try await audit.record(AuditEvent(requestID: request.requestID, subject: caller, action: "introspect", resource: "token", decision: "inactive", reason: error.description, source: request.source, details: ["token": audit.mac(token)]))
            return ["active": .bool(false)]
        }
        try await audit.record(AuditEvent(requestID: request.requestID, subject: caller, action: "introspect", resource: "token", decision: "active", reason: "token of \(claims.sub)", source: request.source, details: ["jti": claims.jti]))
        var answer: [String: IntrospectionValue] = [
            "active": .bool(true), "iss": .string(claims.iss), "sub": .string(claims.sub), "aud": .strings(claims.aud),
            "iat": .number(claims.iat), "nbf": .number(claims.nbf), "exp": .number(claims.exp), "jti": .string(claims.jti),
            "client_id": .string(claims.client_id), "token_type": .string("Bearer"),
        ]
        if let scope = claims.scope { answer["scope"] = .string(scope) }
        if let cluster = claims.cluster_id { answer["cluster_id"] = .string(cluster) }
        if let actor = claims.act { answer["act"] = .object(["sub": actor.sub]) }
        if let job = claims.job_id { answer["job_id"] = .string(job) }
        return answer
    }

    /// Revokes a token. Unknown or invalid tokens are not an error (RFC 7009 section 2.2).
    public func revoke(_ token: String, caller: AuthenticatedClient?, callerIdentity: String, request: RequestInfo) async throws {
        guard let claims = try? await issuer.verify(token, audience: nil) else {
            try await audit.record(AuditEvent(requestID: request.requestID, subject: callerIdentity, action: "revoke", resource: "token", decision: "ignored", reason: "not an active token of ours", source: request.source, details: ["token": audit.mac(token)]))
            return
        }
        if let caller, caller.clientID != claims.client_id {
            try await audit.record(AuditEvent(requestID: request.requestID, subject: callerIdentity, action: "revoke", resource: "token", decision: "deny", reason: "the token was issued to another client", source: request.source, details: ["jti": claims.jti]))
            throw OAuthError.unauthorizedClient("the token was issued to another client")
        }
        try await revocations.revoke(StoredRevocation(jti: claims.jti, revokedAt: Date(), expiresAt: Date(timeIntervalSince1970: TimeInterval(claims.exp)), reason: "revoked by \(callerIdentity)"))
        var details = ["jti": claims.jti]
        if let leases {
            let revoked = try await leases.revoke(id: LeaseService.tokenLeaseID(jti: claims.jti), reason: "token revoked by \(callerIdentity)")
            if !revoked.isEmpty { details["leases"] = revoked.map(\.id).joined(separator: ",") }
        }
        try await audit.record(AuditEvent(requestID: request.requestID, subject: callerIdentity, action: "revoke", resource: "token", decision: "ok", reason: "revoked a token of \(claims.sub)", source: request.source, details: details))
    }
}

/// A JSON value in an introspection answer.
public enum IntrospectionValue: Encodable, Sendable, Equatable {
    case bool(Bool)
    case string(String)
    case strings([String])
    case number(Int64)
    case object([String: String])

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .bool(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .strings(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
