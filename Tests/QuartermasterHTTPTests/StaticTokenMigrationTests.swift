import Foundation
import Hummingbird
import HummingbirdTesting
import QuartermasterServices
import Testing

@Suite("Static service token migration")
struct StaticTokenMigrationTests {
    struct Token: Decodable { var access_token: String }
    struct OAuthError: Decodable { var error: String }

    private func exchange(_ token: String) -> ByteBuffer {
        ByteBuffer(string: "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token_type=urn%3Aquartermaster%3Aparams%3Atoken-type%3Astatic-service-token&subject_token=\(token)")
    }

    @Test("in accept and warn modes the static token is exchanged for a JWT of the legacy identity, and counted", arguments: [StaticTokenMigration.Mode.accept, .warn])
    func accepted(mode: StaticTokenMigration.Mode) async throws {
        let server = try await TestServer.make(staticTokenMode: mode)
        try await server.test { client in
            let token = try await client.execute(uri: "/oauth2/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: exchange(TestServer.legacyToken)) { (response: TestResponse) async throws in
                #expect(response.status == .ok)
                return try decode(Token.self, response)
            }
            let claims = try await server.components.issuer.tokens.issuer.verify(token.access_token)
            #expect(claims.sub == "gateway-service")
            #expect(claims.cluster_id == nil)
            try await client.execute(uri: "/metrics", method: .get) { (response: TestResponse) async throws in
                #expect(String(buffer: response.body).contains(#"quartermaster_static_token_uses_total{mode="\#(mode.rawValue)"} 1"#))
            }
        }
    }

    @Test("in reject mode, or with a wrong token, the exchange is refused with invalid_grant")
    func refused() async throws {
        let server = try await TestServer.make(staticTokenMode: .reject)
        try await server.test { client in
            for presented in [TestServer.legacyToken, "wrong-token"] {
                try await client.execute(uri: "/oauth2/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: exchange(presented)) { (response: TestResponse) async throws in
                    #expect(response.status == .badRequest)
                    #expect(try decode(OAuthError.self, response).error == "invalid_grant")
                }
            }
            try await client.execute(uri: "/metrics", method: .get) { (response: TestResponse) async throws in
                #expect(String(buffer: response.body).contains(#"quartermaster_static_token_uses_total{mode="reject"} 1"#))
            }
        }
    }

    @Test("each use is audited without the token")
    func audited() async throws {
        let server = try await TestServer.make(staticTokenMode: .warn)
        try await server.test { client in
            try await client.execute(uri: "/oauth2/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: exchange(TestServer.legacyToken))
            try await client.execute(uri: "/v1/audit?subject=gateway-service", method: .get, headers: server.adminHeaders) { (response: TestResponse) async throws in
                let text = String(buffer: response.body)
                #expect(text.contains("static service token (deprecated"))
                #expect(!text.contains(TestServer.legacyToken))
            }
        }
    }
}
