import Foundation
import Hummingbird
import HummingbirdTesting
import QuartermasterCrypto
import Testing

@Suite("Issuer HTTP API")
struct IssuerRoutesTests {
    struct Client: Decodable { var client_id: String; var client_secret: String? }
    struct Token: Decodable { var access_token: String; var token_type: String; var expires_in: Int }
    struct OAuthError: Decodable { var error: String; var error_description: String }
    struct Introspection: Decodable { var active: Bool; var sub: String?; var cluster_id: String? }
    struct Discovery: Decodable { var issuer: String; var jwks_uri: String; var token_endpoint: String }
    struct KeySet: Decodable { var keys: [PublicJWK] }
    struct Registration: Decodable { var instance_id: String; var cluster_id: String }

    private func form(_ fields: [String: String]) -> ByteBuffer {
        ByteBuffer(string: fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0.value)" }.joined(separator: "&"))
    }

    private func basic(_ id: String, _ secret: String) -> HTTPFields {
        [.authorization: "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString(), .contentType: "application/x-www-form-urlencoded"]
    }

    @Test("discovery names the configured issuer exactly and the JWKS is cacheable")
    func discovery() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            try await client.execute(uri: "/.well-known/openid-configuration", method: .get) { (response: TestResponse) async throws in
                let document = try decode(Discovery.self, response)
                #expect(document.issuer == TestServer.issuerURL)
                #expect(document.token_endpoint == TestServer.issuerURL + "/oauth2/token")
            }
            try await client.execute(uri: "/.well-known/jwks.json", method: .get) { (response: TestResponse) async throws in
                #expect(response.headers[.cacheControl] == "public, max-age=300")
                let keys = try decode(KeySet.self, response).keys
                #expect(keys.count == 1)
                #expect(keys[0].kty == "EC")
            }
        }
    }

    @Test("client credentials with a generated secret gives a token that introspects active; revocation ends it")
    func clientCredentialsLifecycle() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let created = try await client.execute(uri: "/v1/clients", method: .post, headers: server.adminHeaders, body: ByteBuffer(string: #"{"identity":"gateway-service"}"#)) { (response: TestResponse) async throws in
                #expect(response.status == .created)
                return try decode(Client.self, response)
            }
            let secret = try #require(created.client_secret)
            let token = try await client.execute(uri: "/oauth2/token", method: .post, headers: basic(created.client_id, secret), body: form(["grant_type": "client_credentials"])) { (response: TestResponse) async throws in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "no-store")
                return try decode(Token.self, response)
            }
            #expect(token.token_type == "Bearer")
            try await client.execute(uri: "/oauth2/introspect", method: .post, headers: basic(created.client_id, secret), body: form(["token": token.access_token])) { (response: TestResponse) async throws in
                let answer = try decode(Introspection.self, response)
                #expect(answer.active)
                #expect(answer.sub == "gateway-service")
            }
            try await client.execute(uri: "/oauth2/revoke", method: .post, headers: basic(created.client_id, secret), body: form(["token": token.access_token])) { (response: TestResponse) async throws in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/oauth2/introspect", method: .post, headers: basic(created.client_id, secret), body: form(["token": token.access_token])) { (response: TestResponse) async throws in
                #expect(try decode(Introspection.self, response).active == false)
            }
            try await client.execute(uri: "/v1/revocations", method: .get) { (response: TestResponse) async throws in
                #expect(String(buffer: response.body).contains("\"jti\""))
            }
        }
    }

    @Test("OAuth errors use the RFC codes and statuses", arguments: [
        (["grant_type": "password"], "unsupported_grant_type", 400),
        ([String: String](), "invalid_request", 400),
        (["grant_type": "client_credentials"], "invalid_client", 401),
        (["grant_type": "client_credentials", "client_id": "qmc_nope", "client_secret": "x"], "invalid_client", 401),
        (["grant_type": "urn:ietf:params:oauth:grant-type:token-exchange"], "invalid_request", 400),
        (["grant_type": "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token": "abc", "subject_token_type": "urn:ietf:params:oauth:token-type:access_token"], "invalid_grant", 400),
    ])
    func oauthErrors(fields: [String: String], code: String, status: Int) async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            try await client.execute(uri: "/oauth2/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: form(fields)) { (response: TestResponse) async throws in
                #expect(response.status.code == status)
                let error = try decode(OAuthError.self, response)
                #expect(error.error == code)
                #expect(!error.error_description.contains("Swift"))
            }
        }
    }

    @Test("registration takes the cluster from the verified token, never from the body")
    func registrationUsesVerifiedCluster() async throws {
        let server = try await TestServer.make()
        let issued = try await server.components.issuer.tokens.issuer.issue(.init(subject: "gateway-service", clientID: "test", clusterID: "prod-eu-1"))
        try await server.test { client in
            try await client.execute(uri: "/v1/register", method: .post, headers: [.authorization: "Bearer \(issued.token)"], body: ByteBuffer(string: #"{"service":"gateway-service","instance_id":"i-1","cluster_id":"attacker-cluster"}"#)) { (response: TestResponse) async throws in
                #expect(response.status == .created)
                #expect(try decode(Registration.self, response).cluster_id == "prod-eu-1")
            }
            try await client.execute(uri: "/v1/register", method: .post, headers: [.authorization: "Bearer \(issued.token)"], body: ByteBuffer(string: #"{"service":"orchestrator-service","instance_id":"i-2"}"#)) { (response: TestResponse) async throws in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/v1/register", method: .post, headers: [.authorization: "Bearer eyJhbGciOiJub25lIn0.e30.x"], body: ByteBuffer(string: #"{"service":"gateway-service","instance_id":"i-3"}"#)) { (response: TestResponse) async throws in
                #expect(response.status == .unauthorized)
            }
        }
    }
}
