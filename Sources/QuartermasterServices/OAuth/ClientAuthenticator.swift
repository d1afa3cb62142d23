import Foundation
import JWTKit
import QuartermasterCore
import QuartermasterCrypto
import QuartermasterStorage

/// Authenticates OAuth clients: `client_secret_basic`, `client_secret_post` and
/// `private_key_jwt` (RFC 7523: the assertion's `iss` and `sub` are the client id, `aud` is
/// the token endpoint or the issuer, `exp` is near, and its `jti` is accepted once).
public struct ClientAuthenticator: Sendable {
    static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    /// Assertions may not live longer than this (authlib, for one, signs them for an hour).
    static let maxAssertionLifetime: Int64 = 3600

    private let clients: any ClientStore
    private let replay: any ReplayStore
    private let settings: IssuerSettings

    public init(clients: any ClientStore, replay: any ReplayStore, settings: IssuerSettings) {
        self.clients = clients
        self.replay = replay
        self.settings = settings
    }

    /// The client the request authenticates as, nil when it presents no client credential,
    /// or `invalid_client`.
    public func authenticate(_ form: OAuthForm, now: Date = Date()) async throws -> AuthenticatedClient? {
        if let header = form.authorization, let encoded = AuthorizationHeader.credentials(header, scheme: "basic") {
            guard form["client_secret"] == nil, form["client_assertion"] == nil else {
                throw OAuthError.invalidRequest("use one client authentication method")
            }
            guard let (id, secret) = Self.basicCredentials(encoded) else {
                throw OAuthError.invalidClient("malformed Basic credentials")
            }
            return try await checkSecret(clientID: id, secret: secret, method: "client_secret_basic")
        }
        if let secret = form["client_secret"] {
            guard form["client_assertion"] == nil else { throw OAuthError.invalidRequest("use one client authentication method") }
            guard let id = form["client_id"] else { throw OAuthError.invalidRequest("client_id is required with client_secret") }
            return try await checkSecret(clientID: id, secret: secret, method: "client_secret_post")
        }
        if let assertion = form["client_assertion"] {
            guard form["client_assertion_type"] == Self.assertionType else {
                throw OAuthError.invalidRequest("client_assertion_type must be \(Self.assertionType)")
            }
            return try await checkAssertion(assertion, claimedID: form["client_id"], now: now)
        }
        return nil
    }

    private func checkSecret(clientID: String, secret: String, method: String) async throws -> AuthenticatedClient {
        guard clientID.utf8.count <= 128, secret.utf8.count <= 256 else { throw OAuthError.invalidClient("client authentication failed") }
        let client = try await lookUp(clientID)
        guard let stored = client.secretHash, ConstantTime.equals(SecretToken.hash(secret), stored) else {
            throw OAuthError.invalidClient("client authentication failed")
        }
        return AuthenticatedClient(clientID: client.clientID, identity: client.identity, method: method)
    }

    private func checkAssertion(_ assertion: String, claimedID: String?, now: Date) async throws -> AuthenticatedClient {
        guard let header = JWTHeaderPeek(token: assertion), ["ES256", "RS256", "EdDSA", "PS256", "ES384"].contains(header.alg),
              let payload = JWTHeaderPeek.unverifiedPayload(of: assertion),
              let issuer = payload["iss"] as? String
        else { throw OAuthError.invalidClient("malformed client assertion") }
        if let claimedID, claimedID != issuer { throw OAuthError.invalidClient("client_id does not match the assertion") }
        let client = try await lookUp(issuer)
        guard let jwks = client.jwks else { throw OAuthError.invalidClient("the client has no registered keys") }
        let claims: ClientAssertionClaims
        do {
            let collection = JWTKeyCollection()
            try await collection.add(jwksJSON: jwks)
            claims = try await collection.verify(assertion, as: ClientAssertionClaims.self)
        } catch {
            throw OAuthError.invalidClient("the client assertion signature does not verify")
        }
        let current = Int64(now.timeIntervalSince1970)
        let skew = Int64(settings.clockSkew.seconds)
        guard claims.iss == client.clientID, claims.sub == client.clientID else { throw OAuthError.invalidClient("assertion iss and sub must be the client id") }
        guard claims.aud.contains(settings.tokenEndpoint) || claims.aud.contains(settings.issuer) else { throw OAuthError.invalidClient("assertion audience is not this token endpoint") }
        guard claims.exp + skew > current else { throw OAuthError.invalidClient("the client assertion has expired") }
        guard claims.exp - current <= Self.maxAssertionLifetime else { throw OAuthError.invalidClient("the client assertion lives too long") }
        if let nbf = claims.nbf, nbf - skew > current { throw OAuthError.invalidClient("the client assertion is not valid yet") }
        guard let jti = claims.jti, !jti.isEmpty, jti.utf8.count <= 256 else { throw OAuthError.invalidClient("the client assertion has no jti") }
        let fresh = try await replay.use("assertion:\(client.clientID):\(jti)", expiresAt: Date(timeIntervalSince1970: TimeInterval(claims.exp + skew)), now: now)
        guard fresh else { throw OAuthError.invalidClient("the client assertion was already used") }
        return AuthenticatedClient(clientID: client.clientID, identity: client.identity, method: "private_key_jwt")
    }

    private func lookUp(_ clientID: String) async throws -> StoredClient {
        guard let client = try await clients.find(clientID: clientID), client.revokedAt == nil else {
            throw OAuthError.invalidClient("client authentication failed")
        }
        return client
    }

    /// The client id and secret of Basic credentials, `base64(urlencode(id):urlencode(secret))`
    /// (RFC 6749 section 2.3.1).
    static func basicCredentials(_ encoded: Substring) -> (String, String)? {
        guard encoded.utf8.count <= 1024, let data = Data(base64Encoded: Data(encoded.utf8)), let text = String(validating: data, as: UTF8.self),
              let colon = text.firstIndex(of: ":")
        else { return nil }
        let id = FormDecoding.decode(text[..<colon])
        let secret = FormDecoding.decode(text[text.index(after: colon)...])
        guard let id, let secret, !id.isEmpty else { return nil }
        return (id, secret)
    }
}

/// The claims of an RFC 7523 client assertion.
struct ClientAssertionClaims: JWTPayload {
    var iss: String
    var sub: String
    var aud: [String]
    var exp: Int64
    var nbf: Int64?
    var jti: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        iss = try container.decode(String.self, forKey: .iss)
        sub = try container.decode(String.self, forKey: .sub)
        aud = try container.decodeAudience(forKey: .aud)
        exp = try container.decode(Int64.self, forKey: .exp)
        nbf = try container.decodeIfPresent(Int64.self, forKey: .nbf)
        jti = try container.decodeIfPresent(String.self, forKey: .jti)
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
