import Foundation
import QuartermasterCore
import QuartermasterCrypto

/// `POST /oauth2/token`: client credentials and token exchange (RFC 6749, 7523, 8693).
///
/// Every issuance and every refusal is audited (never with a token or secret in clear).
public struct TokenEndpoint: Sendable {
    static let tokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange"
    static let accessTokenType = "urn:ietf:params:oauth:token-type:access_token"
    static let jwtTokenType = "urn:ietf:params:oauth:token-type:jwt"

    public let issuer: TokenIssuer
    public let clients: ClientAuthenticator
    public let kubernetes: KubernetesTokenVerifier
    public let audit: AuditLog
    /// The legacy static token's migration mode, when one is configured.
    public let staticToken: StaticTokenMigration?
    /// Where tokens obtained by exchanging one of our tokens are leased under it, so revoking
    /// the original revokes them.
    public let leases: LeaseService?

    /// What a grant produced, and the token it was obtained with, if one of ours.
    private struct Minted {
        var issued: IssuedToken
        var subject: String
        var via: String
        var parentTokenID: String?
    }

    public init(issuer: TokenIssuer, clients: ClientAuthenticator, kubernetes: KubernetesTokenVerifier, audit: AuditLog, staticToken: StaticTokenMigration? = nil, leases: LeaseService? = nil) {
        self.issuer = issuer
        self.clients = clients
        self.kubernetes = kubernetes
        self.audit = audit
        self.staticToken = staticToken
        self.leases = leases
    }

    /// Answers one token request; throws `OAuthError` for refusals (after auditing them) and
    /// `ServiceError.unavailable` when the audit log cannot be written.
    public func handle(_ form: OAuthForm, request: RequestInfo, now: Date = Date()) async throws -> TokenResponse {
        let grantType = form["grant_type"] ?? ""
        do {
            let minted = try await grant(grantType, form: form, now: now)
            let (issued, subject, via) = (minted.issued, minted.subject, minted.via)
            var leaseDetails: [String: String] = [:]
            if let leases, let parent = minted.parentTokenID {
                let lease = try await leases.grantToken(jti: issued.claims.jti, subject: subject, expiresAt: Date(timeIntervalSince1970: TimeInterval(issued.claims.exp)), parentJTI: parent, now: now)
                leaseDetails["lease_id"] = lease.id
            }
            try await audit.record(AuditEvent(
                requestID: request.requestID, subject: subject, action: "issue", resource: "token/\(issued.claims.aud.first ?? "")",
                decision: "allow", reason: "issued by \(via)",
                source: request.source,
                details: ["jti": issued.claims.jti, "client_id": issued.claims.client_id, "grant_type": grantType, "exp": String(issued.claims.exp)]
                    .merging(issued.claims.cluster_id.map { ["cluster_id": $0] } ?? [:]) { first, _ in first }
                    .merging(issued.claims.act.map { ["actor": $0.sub] } ?? [:]) { first, _ in first }
                    .merging(leaseDetails) { first, _ in first }
            ))
            return TokenResponse(
                access_token: issued.token,
                expires_in: issued.expiresIn,
                scope: issued.claims.scope,
                issued_token_type: grantType == Self.tokenExchange ? Self.accessTokenType : nil
            )
        } catch let error as OAuthError {
            try await audit.record(AuditEvent(
                requestID: request.requestID, subject: form["client_id"] ?? "anonymous", action: "issue", resource: "token",
                decision: "deny", reason: error.description, source: request.source, details: ["grant_type": String(grantType.prefix(100))]
            ))
            throw error
        }
    }

    private func grant(_ grantType: String, form: OAuthForm, now: Date) async throws -> Minted {
        switch grantType {
        case "":
            throw OAuthError.invalidRequest("grant_type is required")
        case "client_credentials":
            guard let client = try await clients.authenticate(form, now: now) else {
                throw OAuthError.invalidClient("client authentication is required")
            }
            let scope = TokenScope.parse(form["scope"])
            if let scope { try checkScopeAgainstPolicy(scope, subject: client.identity) }
            let issued = try await mint(TokenRequest(subject: client.identity, clientID: client.clientID, audience: form["audience"] ?? "quartermaster", scope: scope))
            return Minted(issued: issued, subject: client.identity, via: client.method)
        case Self.tokenExchange:
            return try await exchange(form, now: now)
        default:
            throw OAuthError("unsupported_grant_type", "grant_type \(grantType.prefix(100)) is not supported")
        }
    }

    private func exchange(_ form: OAuthForm, now: Date) async throws -> Minted {
        let client = try await clients.authenticate(form, now: now)
        guard let subjectToken = form["subject_token"], let subjectType = form["subject_token_type"] else {
            throw OAuthError.invalidRequest("subject_token and subject_token_type are required")
        }
        guard let policy = issuer.policies.current?.policy else { throw OAuthError.invalidGrant("no policy is in force") }
        let requestedScope = TokenScope.parse(form["scope"])
        let audience = form["audience"] ?? "quartermaster"
        var request: TokenRequest
        var via: String
        var parentTokenID: String?
        switch subjectType {
        case Self.accessTokenType:
            let claims: AccessTokenClaims
            do {
                claims = try await issuer.verify(subjectToken, audience: "quartermaster", now: now)
            } catch {
                throw OAuthError.invalidGrant("subject_token: \(error)")
            }
            if let requestedScope {
                let narrower = claims.scope.map { TokenScope.narrows(requestedScope, within: $0.split(separator: " ").map(String.init)) }
                    ?? TokenScope.allowedByPolicy(requestedScope, subject: claims.sub, policy: policy)
                guard narrower else { throw OAuthError.invalidScope("the requested scope is wider than the subject token's") }
            }
            // The new token never outlives its subject token, even inside the clock-skew allowance.
            let remaining = claims.exp - Int64(now.timeIntervalSince1970)
            guard remaining > 0 else { throw OAuthError.invalidGrant("subject_token: the token has expired") }
            request = TokenRequest(subject: claims.sub, clientID: client?.clientID ?? claims.client_id, audience: audience,
                                   scope: requestedScope ?? claims.scope.map { $0.split(separator: " ").map(String.init) },
                                   ttl: .seconds(remaining), clusterID: claims.cluster_id, actor: claims.act?.sub, jobID: claims.job_id)
            via = "token exchange (down-scoping)"
            parentTokenID = claims.jti
        case Self.jwtTokenType:
            let account = try await kubernetes.verify(subjectToken, policy: policy, now: now, skew: Int64(issuer.settings.clockSkew.seconds))
            if let requestedScope { try checkScopeAgainstPolicy(requestedScope, subject: account.identity) }
            request = TokenRequest(subject: account.identity, clientID: client?.clientID ?? "k8s:\(account.clusterID)/\(account.namespace)/\(account.name)",
                                   audience: audience, scope: requestedScope, clusterID: account.clusterID)
            via = "token exchange (Kubernetes service account \(account.namespace)/\(account.name) in \(account.clusterID))"
        case StaticTokenMigration.tokenType:
            guard let staticToken else { throw OAuthError.invalidRequest("no static service token is configured") }
            let identity = try staticToken.exchange(subjectToken)
            request = TokenRequest(subject: identity, clientID: "static-service-token", audience: audience, scope: requestedScope)
            if let requestedScope { try checkScopeAgainstPolicy(requestedScope, subject: identity) }
            via = staticToken.mode == .warn ? "static service token (deprecated: migrate to workload identity)" : "static service token"
        default:
            throw OAuthError.invalidRequest("subject_token_type \(subjectType.prefix(100)) is not supported")
        }
        if let actorToken = form["actor_token"] {
            guard form["actor_token_type"] == Self.accessTokenType else {
                throw OAuthError.invalidRequest("actor_token_type must be \(Self.accessTokenType)")
            }
            let actor: AccessTokenClaims
            do {
                actor = try await issuer.verify(actorToken, audience: "quartermaster", now: now)
            } catch {
                throw OAuthError.invalidGrant("actor_token: \(error)")
            }
            guard policy.mayAct(actor.sub, for: request.subject) else {
                throw OAuthError.invalidGrant("the policy does not let \(actor.sub) act for \(request.subject)")
            }
            request.actor = actor.sub
            via += ", delegated to \(actor.sub)"
            parentTokenID = actor.jti
        }
        if let jobID = form["job_id"] {
            guard jobID.utf8.count <= 128 else { throw OAuthError.invalidRequest("job_id is too long") }
            request.jobID = jobID
        }
        if let ttlText = form["requested_ttl"] {
            guard let seconds = Int64(ttlText), seconds > 0 else { throw OAuthError.invalidRequest("requested_ttl must be a positive number of seconds") }
            request.ttl = min(request.ttl ?? .seconds(seconds), .seconds(seconds))
        }
        return Minted(issued: try await mint(request), subject: request.subject, via: via, parentTokenID: parentTokenID)
    }

    private func checkScopeAgainstPolicy(_ scope: [String], subject: String) throws {
        do { try TokenScope.validate(scope) } catch { throw OAuthError.invalidScope("\(error)") }
        guard let policy = issuer.policies.current?.policy, TokenScope.allowedByPolicy(scope, subject: subject, policy: policy) else {
            throw OAuthError.invalidScope("the policy does not allow \(subject) that scope")
        }
    }

    private func mint(_ request: TokenRequest) async throws -> IssuedToken {
        do {
            return try await issuer.issue(request)
        } catch let error as ServiceError {
            switch error {
            case .forbidden(let detail): throw OAuthError.invalidTarget(detail)
            case .invalidInput(let detail): throw OAuthError.invalidScope(detail)
            default: throw error
            }
        }
    }
}
