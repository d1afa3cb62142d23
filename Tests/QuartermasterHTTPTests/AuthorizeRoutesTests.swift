import Foundation
import HummingbirdTesting
import QuartermasterCore
import Testing

@Suite("POST /v1/authorize")
struct AuthorizeRoutesTests {
    struct Batch: Decodable { var decisions: [Decision] }

    @Test("a single question gets a decision with its reason")
    func single() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            try await client.execute(uri: "/v1/authorize", method: .post, headers: server.adminHeaders, body: .init(json: #"{"subject":"gateway-service","action":"read","resource":"secret/gateway/tls"}"#)) { (response: TestResponse) async throws in
                #expect(response.status == .ok)
                let decision = try decode(Decision.self, response)
                #expect(decision.allowed)
                #expect(decision.reason.contains("policy.yaml"))
            }
        }
    }

    @Test("a batch is answered in order")
    func batch() async throws {
        let server = try await TestServer.make()
        let body = #"{"requests":[{"subject":"gateway-service","action":"read","resource":"secret/gateway/tls"},{"subject":"gateway-service","action":"read","resource":"secret/llm/openai"},{"subject":"nobody","action":"read","resource":"secret/gateway/tls","context":{"cluster_id":"prod-eu-1"}}]}"#
        try await server.test { client in
            try await client.execute(uri: "/v1/authorize", method: .post, headers: server.adminHeaders, body: .init(json: body)) { (response: TestResponse) async throws in
                #expect(response.status == .ok)
                #expect(try decode(Batch.self, response).decisions.map(\.allowed) == [true, false, false])
            }
        }
    }

    @Test("no token is 401, a wrong token is 401, each with a JSON body")
    func unauthenticated() async throws {
        let server = try await TestServer.make()
        let body = #"{"subject":"a","action":"read","resource":"secret/a"}"#
        try await server.test { client in
            try await client.execute(uri: "/v1/authorize", method: .post, body: .init(json: body)) { (response: TestResponse) async throws in
                #expect(response.status == .unauthorized)
                #expect(try decode(ErrorBody.self, response).error == "unauthenticated")
            }
            try await client.execute(uri: "/v1/authorize", method: .post, headers: [.authorization: "Bearer qm_admin_0123456789abcdef_nope"], body: .init(json: body)) { (response: TestResponse) async throws in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test("malformed JSON is a 400 that says what is wrong", arguments: ["{", #"{"subject":"a"}"#, #"{"subject":1,"action":"read","resource":"x"}"#, "[]"])
    func malformed(body: String) async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            try await client.execute(uri: "/v1/authorize", method: .post, headers: server.adminHeaders, body: .init(json: body)) { (response: TestResponse) async throws in
                #expect(response.status == .badRequest)
                let error = try decode(ErrorBody.self, response)
                #expect(error.error == "malformed_json")
                #expect(!error.detail.isEmpty)
            }
        }
    }

    @Test("a body over the size limit is a 413")
    func tooLarge() async throws {
        let server = try await TestServer.make()
        let huge = #"{"subject":""# + String(repeating: "a", count: 2 << 20) + #"","action":"read","resource":"x"}"#
        try await server.test { client in
            try await client.execute(uri: "/v1/authorize", method: .post, headers: server.adminHeaders, body: .init(json: huge)) { (response: TestResponse) async throws in
                #expect(response.status == .contentTooLarge)
                #expect(try decode(ErrorBody.self, response).error == "payload_too_large")
            }
        }
    }

    @Test("when the audit log cannot be written the answer is 503, not a decision")
    func auditDown() async throws {
        let server = try await TestServer.make(auditStore: BrokenAuditStore())
        try await server.test { client in
            try await client.execute(uri: "/v1/authorize", method: .post, headers: server.adminHeaders, body: .init(json: #"{"subject":"a","action":"read","resource":"secret/a"}"#)) { (response: TestResponse) async throws in
                #expect(response.status == .serviceUnavailable)
                #expect(try decode(ErrorBody.self, response).error == "unavailable")
            }
        }
    }
}
