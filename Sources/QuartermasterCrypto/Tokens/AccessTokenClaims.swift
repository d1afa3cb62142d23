import Foundation
import JWTKit

/// The claims of a Quartermaster access token (RFC 9068), plus `cluster_id`, delegation
/// (`act`, RFC 8693) and `job_id` for per-job worker credentials.
public struct AccessTokenClaims: JWTPayload, Equatable {
    public var iss: String
    public var sub: String
    public var aud: [String]
    public var iat: Int64
    public var nbf: Int64
    public var exp: Int64
    public var jti: String
    public var client_id: String
    /// Space-separated `action:resource-pattern` entries; absent means the identity's full policy access.
    public var scope: String?
    /// The cluster the verified credential proves, never one the caller asserted.
    public var cluster_id: String?
    /// The party acting on behalf of `sub`.
    public var act: Actor?
    public var job_id: String?

    /// The `act` claim: who is acting, possibly itself acting for someone else.
    public struct Actor: Codable, Sendable, Equatable {
        public var sub: String
        public init(sub: String) { self.sub = sub }
    }

    public init(iss: String, sub: String, aud: [String], iat: Int64, nbf: Int64, exp: Int64, jti: String, client_id: String, scope: String? = nil, cluster_id: String? = nil, act: Actor? = nil, job_id: String? = nil) {
        self.iss = iss
        self.sub = sub
        self.aud = aud
        self.iat = iat
        self.nbf = nbf
        self.exp = exp
        self.jti = jti
        self.client_id = client_id
        self.scope = scope
        self.cluster_id = cluster_id
        self.act = act
        self.job_id = job_id
    }

    /// `aud` may be a string or an array on the wire.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iss = try container.decode(String.self, forKey: .iss)
        sub = try container.decode(String.self, forKey: .sub)
        aud = try container.decodeAudience(forKey: .aud)
        iat = try container.decode(Int64.self, forKey: .iat)
        nbf = try container.decode(Int64.self, forKey: .nbf)
        exp = try container.decode(Int64.self, forKey: .exp)
        jti = try container.decode(String.self, forKey: .jti)
        client_id = try container.decode(String.self, forKey: .client_id)
        scope = try container.decodeIfPresent(String.self, forKey: .scope)
        cluster_id = try container.decodeIfPresent(String.self, forKey: .cluster_id)
        act = try container.decodeIfPresent(Actor.self, forKey: .act)
        job_id = try container.decodeIfPresent(String.self, forKey: .job_id)
    }

    /// Time claims are checked by the issuer service against its own clock and skew.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
