import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Brokered provider credentials over HTTP")
struct CredentialRoutesTests {
    static let providers = """
    instances:
      anthropic_local:
        type: anthropic
        authentication:
          type: static
          secret_path: llm/anthropic
      anthropic_empty:
        type: anthropic
        authentication:
          type: static
          secret_path: llm/missing
    """

    struct CreatedKey: Decodable { var key: String }
    struct Answer: Decodable {
        var instance: String
        var method: String
        var lease_id: String
        var credential: Credential
        struct Credential: Decodable { var type: String; var api_key: String? }
    }

    @Test("an identity allowed read on provider/X gets X's credential under a lease; others are refused; the audit holds only an HMAC; metrics count refreshes")
    func credentialRead() async throws {
        let server = try await TestServer.make(providerInstances: Self.providers)
        try await server.test { client in
            _ = try await client.execute(uri: "/v1/secrets/llm/anthropic", method: .put, headers: server.adminHeaders, body: ByteBuffer(string: #"{"data":{"api_key":"sk-ant-secret-value"}}"#))
            await server.components.providers!.refreshNow()
            let key = try decode(CreatedKey.self, try await client.execute(uri: "/v1/api-keys", method: .post, headers: server.adminHeaders, body: ByteBuffer(string: #"{"identity":"gateway-service","name":"t"}"#))).key
            let gateway: HTTPFields = [.authorization: "Bearer \(key)"]

            let answer = try decode(Answer.self, try await client.execute(uri: "/v1/credentials/anthropic_local", method: .get, headers: gateway))
            #expect(answer.method == "static" && answer.credential.type == "api_key" && answer.credential.api_key == "sk-ant-secret-value")
            #expect(answer.lease_id.hasPrefix("provider/anthropic_local/"))

            let tee = try decode(CreatedKey.self, try await client.execute(uri: "/v1/api-keys", method: .post, headers: server.adminHeaders, body: ByteBuffer(string: #"{"identity":"tee-runtime","name":"t"}"#))).key
            #expect(try await client.execute(uri: "/v1/credentials/anthropic_local", method: .get, headers: [.authorization: "Bearer \(tee)"]).status == .forbidden, "no grant on provider/**")
            #expect(try await client.execute(uri: "/v1/credentials/anthropic_local", method: .get, headers: server.adminHeaders).status == .forbidden, "sys/** is not provider/**")
            let unavailable = try await client.execute(uri: "/v1/credentials/anthropic_empty", method: .get, headers: gateway)
            #expect(unavailable.status == .serviceUnavailable)
            #expect(try decode(ErrorBody.self, unavailable).detail.contains("provider instance anthropic_empty has no valid credential; the last refresh failed"))
            #expect(try await client.execute(uri: "/v1/credentials/nope", method: .get, headers: gateway).status == .forbidden, "unknown instances are a policy question first")

            let audit = String(buffer: try await client.execute(uri: "/v1/audit?subject=gateway-service&limit=50", method: .get, headers: server.adminHeaders).body)
            #expect(audit.contains("hmac-sha256:") && !audit.contains("sk-ant-secret-value"))

            let status = String(buffer: try await client.execute(uri: "/v1/providers", method: .get, headers: server.adminHeaders).body)
            #expect(status.contains(#""instance":"anthropic_empty""#) && status.contains("llm/missing"))
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"quartermaster_credential_refresh_total{provider="anthropic_local",method="static",status="ok"} 1"#))
            #expect(metrics.contains(#"quartermaster_credential_refresh_total{provider="anthropic_empty",method="static",status="error"} 1"#))
            #expect(metrics.contains(#"quartermaster_credential_age_seconds{provider="anthropic_local",method="static"}"#))
        }
    }
}
