import Foundation
import Hummingbird
import QuartermasterCrypto

/// OpenID Connect discovery and the JWKS, public so that clouds and verifiers can federate.
/// `Cache-Control` on the JWKS is the key ring's cache period: a new key is published at
/// least that long before it signs.
struct DiscoveryRoutes {
    let components: ServerComponents

    struct Configuration: Encodable {
        var issuer: String
        var jwks_uri: String
        var token_endpoint: String
        var introspection_endpoint: String
        var revocation_endpoint: String
        var grant_types_supported = ["client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"]
        var token_endpoint_auth_methods_supported = ["client_secret_basic", "client_secret_post", "private_key_jwt"]
        var token_endpoint_auth_signing_alg_values_supported = ["ES256", "RS256", "EdDSA"]
        var id_token_signing_alg_values_supported = ["ES256", "EdDSA", "RS256"]
        var response_types_supported = ["token"]
        var subject_types_supported = ["public"]
        var claims_supported = ["iss", "sub", "aud", "iat", "nbf", "exp", "jti", "client_id", "scope", "cluster_id", "act", "job_id"]
    }

    struct KeySet: Encodable {
        var keys: [PublicJWK]
    }

    func register(on router: Router<QuartermasterRequestContext>) {
        let keys = components.issuer.keys
        let issuer = keys.settings.issuer
        let maxAge = Int(keys.settings.jwksCacheTTL.components.seconds)
        router.get("/.well-known/openid-configuration") { _, _ in
            var response = JSONResponse.make(Configuration(
                issuer: issuer,
                jwks_uri: issuer + "/.well-known/jwks.json",
                token_endpoint: issuer + "/oauth2/token",
                introspection_endpoint: issuer + "/oauth2/introspect",
                revocation_endpoint: issuer + "/oauth2/revoke"
            ))
            response.headers[.cacheControl] = "public, max-age=\(maxAge)"
            return response
        }
        router.get("/.well-known/jwks.json") { _, _ in
            var response = JSONResponse.make(KeySet(keys: keys.jwks))
            response.headers[.cacheControl] = "public, max-age=\(maxAge)"
            return response
        }
    }
}
