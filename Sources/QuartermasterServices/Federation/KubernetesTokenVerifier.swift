import Foundation
import JWTKit
import QuartermasterCore
import QuartermasterCrypto

/// Verifies Kubernetes projected service-account tokens against the JWKS of a cluster issuer
/// the policy lists, and maps the service account to a policy identity.
public final class KubernetesTokenVerifier: Sendable {
    /// A verified service account and the cluster its token proves.
    public struct ServiceAccount: Sendable, Equatable {
        public var identity: String
        public var clusterID: String
        public var namespace: String
        public var name: String
    }

    private let keys: JWKSCache

    public init(keys: JWKSCache = JWKSCache()) {
        self.keys = keys
    }

    /// Verifies `token` and returns the service account, or `invalid_grant`.
    public func verify(_ token: String, policy: Policy, now: Date = Date(), skew: Int64 = 30) async throws(OAuthError) -> ServiceAccount {
        guard JWTHeaderPeek(token: token) != nil, let payload = JWTHeaderPeek.unverifiedPayload(of: token),
              let issuer = payload["iss"] as? String
        else { throw .invalidGrant("the subject token is not a well-formed JWT") }
        guard let cluster = policy.cluster(issuer: issuer), let kubernetes = cluster.kubernetes else {
            throw .invalidGrant("the subject token's issuer is not a cluster the policy lists")
        }
        let claims: KubernetesClaims
        do {
            claims = try await keys.keys(issuer: kubernetes.issuer, jwksURI: kubernetes.jwksURI, now: now).verify(token, as: KubernetesClaims.self)
        } catch let failure as JWKSCache.Failure {
            throw .invalidGrant("cluster \(cluster.id): \(failure)")
        } catch {
            throw .invalidGrant("the subject token's signature does not verify against cluster \(cluster.id)")
        }
        let current = Int64(now.timeIntervalSince1970)
        guard claims.iss == issuer else { throw .invalidGrant("issuer mismatch") }
        guard claims.exp + skew > current else { throw .invalidGrant("the subject token has expired") }
        if let nbf = claims.nbf, nbf - skew > current { throw .invalidGrant("the subject token is not valid yet") }
        let audiences = kubernetes.audiences.isEmpty ? ["quartermaster"] : kubernetes.audiences
        guard claims.aud.contains(where: audiences.contains) else { throw .invalidGrant("the subject token is not bound to this audience") }
        let parts = claims.sub.split(separator: ":")
        guard parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount" else {
            throw .invalidGrant("the subject token is not a service-account token")
        }
        let namespace = String(parts[2]), name = String(parts[3])
        if let bound = claims.kubernetes, bound.namespace != namespace || bound.serviceaccount?.name != name {
            throw .invalidGrant("the subject token's sub and kubernetes.io claims disagree")
        }
        guard let identity = policy.identity(forCluster: cluster.id, namespace: namespace, serviceAccount: name) else {
            throw .invalidGrant("service account \(namespace)/\(name) in \(cluster.id) is not mapped to an identity")
        }
        return ServiceAccount(identity: identity.name, clusterID: cluster.id, namespace: namespace, name: name)
    }
}

/// The claims of a Kubernetes projected service-account token.
struct KubernetesClaims: JWTPayload {
    var iss: String
    var sub: String
    var aud: [String]
    var exp: Int64
    var nbf: Int64?
    /// The `kubernetes.io` claim, when present, must name the same service account as `sub`.
    var kubernetes: Binding?

    struct Binding: Codable {
        var namespace: String?
        var serviceaccount: Account?
        struct Account: Codable { var name: String? }
    }

    private enum CodingKeys: String, CodingKey {
        case iss, sub, aud, exp, nbf
        case kubernetes = "kubernetes.io"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iss = try container.decode(String.self, forKey: .iss)
        sub = try container.decode(String.self, forKey: .sub)
        aud = try container.decodeAudience(forKey: .aud)
        exp = try container.decode(Int64.self, forKey: .exp)
        nbf = try container.decodeIfPresent(Int64.self, forKey: .nbf)
        kubernetes = try container.decodeIfPresent(Binding.self, forKey: .kubernetes)
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
