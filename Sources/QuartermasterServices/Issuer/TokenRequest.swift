import Foundation
import QuartermasterCrypto

/// What a caller asks the issuer to mint, after its credential was verified.
public struct TokenRequest: Sendable, Equatable {
    /// The identity the token is about (`sub`).
    public var subject: String
    /// The OAuth client (or credential id) that asked.
    public var clientID: String
    public var audience: String
    /// Requested scope entries (`action:pattern`); nil means the identity's full access.
    public var scope: [String]?
    /// Requested lifetime; capped by the identity's TTL and the global maximum.
    public var ttl: Duration?
    /// From the verified credential only.
    public var clusterID: String?
    public var actor: String?
    public var jobID: String?

    public init(subject: String, clientID: String, audience: String = "quartermaster", scope: [String]? = nil, ttl: Duration? = nil, clusterID: String? = nil, actor: String? = nil, jobID: String? = nil) {
        self.subject = subject
        self.clientID = clientID
        self.audience = audience
        self.scope = scope
        self.ttl = ttl
        self.clusterID = clusterID
        self.actor = actor
        self.jobID = jobID
    }
}

/// A minted token and its claims.
public struct IssuedToken: Sendable, Equatable {
    public var token: String
    public var claims: AccessTokenClaims
    public var expiresIn: Int64
}
