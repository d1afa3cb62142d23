import Foundation
import HummingbirdTesting
import QuartermasterCore
import QuartermasterStorage
import Testing

@Suite("Policy administration API")
struct PolicyRoutesTests {
    struct Version: Decodable { var version: Int; var comment: String }
    struct History: Decodable { var versions: [Version] }

    private var wider: String {
        TestServer.policy + "\n      - actions: [read]\n        resources: [\"secret/shared/**\"]\n"
    }

    @Test("an invalid document is a 400 with file:line:column and the active policy stays")
    func invalidApply() async throws {
        let server = try await TestServer.make()
        let broken = "version: 1\nidentities:\n  - name: x\n    kind: robot\n"
        try await server.test { client in
            try await client.execute(uri: "/v1/policy?source=broken.yaml", method: .put, headers: server.adminHeaders, body: .init(string: broken)) { (response: TestResponse) async throws in
                #expect(response.status == .badRequest)
                #expect(try decode(ErrorBody.self, response).detail.contains("broken.yaml:4:"))
            }
            try await client.execute(uri: "/v1/policy/history", method: .get, headers: server.adminHeaders) { (response: TestResponse) async throws in
                #expect(try decode(History.self, response).versions.map(\.version) == [1])
            }
        }
        #expect(server.components.policies.current?.version == 1)
    }

    @Test("plan shows added access, apply stores a version, rollback restores, history lists them")
    func lifecycle() async throws {
        let server = try await TestServer.make()
        let wider = self.wider
        try await server.test { client in
            try await client.execute(uri: "/v1/policy/plan?source=wider.yaml", method: .post, headers: server.adminHeaders, body: .init(string: wider)) { (response: TestResponse) async throws in
                #expect(response.status == .ok)
                let plan = try decode(PolicyPlan.self, response)
                #expect(!plan.isEmpty)
                #expect(plan.text.contains("secret/shared/**"))
            }
            try await client.execute(uri: "/v1/policy?source=wider.yaml", method: .put, headers: server.adminHeaders, body: .init(string: wider)) { (response: TestResponse) async throws in
                #expect(response.status == .created)
                #expect(try decode(Version.self, response).version == 2)
            }
            try await client.execute(uri: "/v1/policy/rollback", method: .post, headers: server.adminHeaders, body: .init(string: #"{"version":1}"#)) { (response: TestResponse) async throws in
                #expect(response.status == .created)
                #expect(try decode(Version.self, response).version == 3)
            }
            try await client.execute(uri: "/v1/policy/history?limit=10", method: .get, headers: server.adminHeaders) { (response: TestResponse) async throws in
                #expect(try decode(History.self, response).versions.map(\.version) == [3, 2, 1])
            }
            try await client.execute(uri: "/v1/policy/rollback", method: .post, headers: server.adminHeaders, body: .init(string: #"{"version":42}"#)) { (response: TestResponse) async throws in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/policy/history?limit=abc", method: .get, headers: server.adminHeaders) { (response: TestResponse) async throws in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test("the apply and its outcome are audited without the document")
    func auditedApply() async throws {
        let server = try await TestServer.make()
        let wider = self.wider
        try await server.test { client in
            try await client.execute(uri: "/v1/policy?source=wider.yaml", method: .put, headers: server.adminHeaders, body: .init(string: wider))
            try await client.execute(uri: "/v1/audit?subject=admin&limit=100", method: .get, headers: server.adminHeaders) { (response: TestResponse) async throws in
                let records = try decode(AuditRoutesTests.Records.self, response).records
                let apply = try #require(records.first { $0.action == "apply" })
                #expect(apply.decision == "ok")
                #expect(apply.reason == "applied policy version 2")
                #expect(!records.contains { $0.reason.contains("secret/shared") || $0.details.values.contains { $0.contains("secret/shared") } })
            }
        }
    }
}

@Suite("Audit API")
struct AuditRoutesTests {
    struct Records: Decodable { var records: [AuditRecord] }
    struct Verification: Decodable { var recordsChecked: Int; var firstProblem: String? }

    @Test("records are filtered by subject, and the chain verifies")
    func readAndVerify() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            try await client.execute(uri: "/v1/authorize", method: .post, headers: server.adminHeaders, body: .init(string: #"{"subject":"gateway-service","action":"read","resource":"secret/gateway/tls"}"#))
            try await client.execute(uri: "/v1/audit?subject=gateway-service", method: .get, headers: server.adminHeaders) { (response: TestResponse) async throws in
                let records = try decode(Records.self, response).records
                #expect(records.count == 1)
                #expect(records[0].details["asked_by"] == "admin")
            }
            try await client.execute(uri: "/v1/audit?tail=2", method: .get, headers: server.adminHeaders) { (response: TestResponse) async throws in
                #expect(try decode(Records.self, response).records.count == 2)
            }
            try await client.execute(uri: "/v1/audit/verify", method: .get, headers: server.adminHeaders) { (response: TestResponse) async throws in
                let verification = try decode(Verification.self, response)
                #expect(verification.firstProblem == nil)
                #expect(verification.recordsChecked >= 3)
            }
            try await client.execute(uri: "/v1/audit?since=yesterday", method: .get, headers: server.adminHeaders) { (response: TestResponse) async throws in
                #expect(response.status == .badRequest)
            }
        }
    }
}

/// An audit store that is down.
struct BrokenAuditStore: AuditStore {
    struct Down: Error {}
    func append(count: Int, _ seal: @Sendable (AuditChainHead, Int) throws -> AuditRecord) async throws -> [AuditRecord] { throw Down() }
    func records(_ query: AuditQuery) async throws -> [AuditRecord] { throw Down() }
    func head() async throws -> AuditChainHead { throw Down() }
}
