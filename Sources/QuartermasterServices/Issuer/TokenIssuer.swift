import Foundation
import QuartermasterCore
import QuartermasterCrypto
import QuartermasterStorage

/// Mints and verifies Quartermaster access tokens (RFC 9068 JWTs).
///
/// Every claim comes from verified input: the subject and cluster from the authenticated
/// credential, the audience and lifetime checked against the policy, the scope narrowed only.
public struct TokenIssuer: Sendable {
    public let keys: KeyRing
    public let policies: PolicyService
    private let revocations: any RevocationStore

    public init(keys: KeyRing, policies: PolicyService, revocations: any RevocationStore) {
        self.keys = keys
        self.policies = policies
        self.revocations = revocations
    }

    public var settings: IssuerSettings { keys.settings }

    /// Mints a token; throws `ServiceError.forbidden` when the policy does not allow the
    /// audience, and `invalidInput` for a malformed scope.
    public func issue(_ request: TokenRequest, now: Date = Date()) async throws -> IssuedToken {
        guard let policy = policies.current?.policy, let identity = policy.identity(named: request.subject) else {
            throw ServiceError.forbidden("identity \(request.subject) is not in the policy")
        }
        guard identity.allowedAudiences.contains(request.audience) else {
            throw ServiceError.forbidden("identity \(request.subject) may not hold tokens for audience \(request.audience)")
        }
        if let scope = request.scope {
            try TokenScope.validate(scope)
        }
        var ttl = request.ttl ?? identity.tokenTTL ?? settings.defaultTokenTTL
        ttl = min(ttl, identity.tokenTTL ?? settings.maxTokenTTL, settings.maxTokenTTL)
        let issuedAt = Int64(now.timeIntervalSince1970)
        let lifetime = max(1, Int64(ttl.seconds))
        let claims = AccessTokenClaims(
            iss: settings.issuer,
            sub: request.subject,
            aud: [request.audience],
            iat: issuedAt,
            nbf: issuedAt,
            exp: issuedAt + lifetime,
            jti: RandomBytes.base64URL(count: 16),
            client_id: request.clientID,
            scope: request.scope.map { $0.joined(separator: " ") },
            cluster_id: request.clusterID,
            act: request.actor.map { AccessTokenClaims.Actor(sub: $0) },
            job_id: request.jobID
        )
        let kid = try keys.signingKey(settings.algorithm(for: request.audience), now: now)
        let token = try await keys.signer.sign(claims, kid: kid)
        return IssuedToken(token: token, claims: claims, expiresIn: lifetime)
    }

    /// Verifies one of our tokens: shape, key, signature, issuer, time, audience (when
    /// given) and revocation.
    public func verify(_ token: String, audience: String? = "quartermaster", now: Date = Date()) async throws(TokenVerificationError) -> AccessTokenClaims {
        let signer: TokenSigner
        do { signer = try keys.signer } catch { throw .unknownKey }
        let claims = try await signer.verify(token)
        let skew = Int64(settings.clockSkew.seconds)
        let current = Int64(now.timeIntervalSince1970)
        guard claims.iss == settings.issuer else { throw .wrongIssuer }
        guard claims.exp + skew > current else { throw .expired }
        guard claims.nbf - skew <= current else { throw .notYetValid }
        if let audience, !claims.aud.contains(audience) { throw .wrongAudience }
        let revoked: Bool
        do { revoked = try await revocations.isRevoked(jti: claims.jti) } catch { throw .revoked }
        guard !revoked else { throw .revoked }
        return claims
    }
}
