import Foundation
import HummingbirdTesting
import Testing

@Suite("Health, readiness and metrics")
struct HealthRoutesTests {
    @Test("healthz and readyz answer without a token")
    func health() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { (response: TestResponse) async throws in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("ready"))
            }
        }
    }

    @Test("metrics count requests by route and status, latency, and decisions by result")
    func metrics() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            try await client.execute(uri: "/healthz", method: .get)
            try await client.execute(uri: "/v1/authorize", method: .post, headers: server.adminHeaders, body: .init(json: #"{"subject":"gateway-service","action":"read","resource":"secret/gateway/tls"}"#))
            try await client.execute(uri: "/metrics", method: .get) { (response: TestResponse) async throws in
                let text = String(buffer: response.body)
                #expect(text.contains(#"quartermaster_http_requests_total{route="/healthz",method="GET",status="200"} 1"#))
                #expect(text.contains("quartermaster_http_request_duration_seconds_bucket"))
                #expect(text.contains(#"quartermaster_authorization_decisions_total{result="allow"} 1"#))
                #expect(!text.contains(server.adminToken))
            }
        }
    }

    @Test("an unknown route is a JSON 404")
    func unknownRoute() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            try await client.execute(uri: "/v1/nothing-here", method: .get) { (response: TestResponse) async throws in
                #expect(response.status == .notFound)
                #expect(try decode(ErrorBody.self, response).error == "not_found")
            }
        }
    }
}
