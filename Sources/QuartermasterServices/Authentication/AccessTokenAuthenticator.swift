import Foundation

/// Authenticates our own JWT access tokens as bearer credentials. The principal carries the
/// token's verified `cluster_id` for policy conditions.
public struct AccessTokenAuthenticator: Authenticator {
    private let issuer: TokenIssuer

    public init(issuer: TokenIssuer) {
        self.issuer = issuer
    }

    public func authenticate(bearer credential: String) async throws -> Principal? {
        guard credential.hasPrefix("eyJ") else { return nil }
        do {
            let claims = try await issuer.verify(credential)
            var attributes: [String: String] = [:]
            if let cluster = claims.cluster_id { attributes["cluster_id"] = cluster }
            return Principal(identity: claims.sub, method: "access_token", credentialID: claims.jti, attributes: attributes, expiresAt: Date(timeIntervalSince1970: TimeInterval(claims.exp)))
        } catch {
            throw ServiceError.unauthenticated("\(error)")
        }
    }
}
