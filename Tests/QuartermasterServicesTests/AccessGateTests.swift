import Foundation
import QuartermasterCrypto
import QuartermasterServices
import QuartermasterStorage
import Testing

@Suite("Access gate: authenticate, authorize, audit")
struct AccessGateTests {
    private func gate(_ test: TestBackend, auditStore: (any AuditStore)? = nil) async throws -> (AccessGate, String) {
        let policies = PolicyService(store: test.backend.policies)
        try await policies.apply(yaml: Fixtures.policy, sourceName: "policy.yaml", by: "test")
        let token = try #require(try await AdminTokenAuthenticator.bootstrap(credentials: test.backend.credentials))
        let gate = AccessGate(
            authenticators: AuthenticatorChain([AdminTokenAuthenticator(credentials: test.backend.credentials)]),
            policies: policies,
            audit: AuditLog(store: auditStore ?? test.backend.audit, key: AuditKey.generate().key, writeTimeout: Fixtures.writeTimeout)
        )
        return (gate, token)
    }

    @Test("the bootstrap admin token is created once and stored only as a hash", arguments: BackendKind.available)
    func bootstrapOnce(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let (_, token) = try await gate(test)
        #expect(try await AdminTokenAuthenticator.bootstrap(credentials: test.backend.credentials) == nil)
        let parsed = try #require(SecretToken.parse(token, prefix: AdminTokenAuthenticator.prefix))
        let stored = try #require(try await test.backend.credentials.find(id: parsed.id))
        #expect(stored.secretHash != parsed.secret)
        #expect(!stored.secretHash.contains(parsed.secret))
    }

    @Test("an admin with a valid token is admitted and the decision is audited", arguments: BackendKind.available)
    func admitted(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let (gate, token) = try await gate(test)
        let principal = try await gate.admit(bearer: token, action: "write", resource: "sys/policy", request: Fixtures.request)
        #expect(principal.identity == "admin")
        let records = try await gate.audit.records(AuditQuery(limit: 10))
        #expect(records.count == 1)
        #expect(records[0].decision == "allow")
        #expect(records[0].subject == "admin")
        #expect(!records.contains { $0.details.values.contains(token) || $0.reason.contains(token) })
    }

    @Test("a missing, malformed or wrong token is refused and the attempt audited", arguments: [nil, "", "garbage", "qm_admin_0123456789abcdef_wrongsecret"])
    func refused(bearer: String?) async throws {
        let test = try await TestBackend.make(.sqlite)
        defer { Task { try await test.cleanup() } }
        let (gate, _) = try await gate(test)
        await #expect(throws: ServiceError.self) {
            try await gate.admit(bearer: bearer, action: "read", resource: "sys/policy", request: Fixtures.request)
        }
        let records = try await gate.audit.records(AuditQuery(limit: 10))
        #expect(records.count == 1)
        #expect(records[0].decision == "deny")
        #expect(records[0].subject == "anonymous")
    }

    @Test("a revoked admin token is refused")
    func revoked() async throws {
        let test = try await TestBackend.make(.sqlite)
        defer { Task { try await test.cleanup() } }
        let (gate, token) = try await gate(test)
        let parsed = try #require(SecretToken.parse(token, prefix: AdminTokenAuthenticator.prefix))
        #expect(try await test.backend.credentials.revoke(id: parsed.id, at: Date()))
        await #expect(throws: ServiceError.unauthenticated("admin token revoked")) {
            try await gate.admit(bearer: token, action: "read", resource: "sys/policy", request: Fixtures.request)
        }
    }

    @Test("a principal the policy does not allow is forbidden, and the denial is audited")
    func forbidden() async throws {
        let test = try await TestBackend.make(.sqlite)
        defer { Task { try await test.cleanup() } }
        let (gate, _) = try await gate(test)
        let gateway = Principal(identity: "gateway-service", method: "test", credentialID: "c1")
        await #expect(throws: ServiceError.self) {
            try await gate.authorize(gateway, action: "write", resource: "sys/policy", request: Fixtures.request)
        }
        let records = try await gate.audit.records(AuditQuery(subject: "gateway-service", limit: 10))
        #expect(records.map(\.decision) == ["deny"])
    }

    @Test("when the audit log cannot be written the request fails with unavailable, not served")
    func auditDown() async throws {
        let test = try await TestBackend.make(.sqlite)
        defer { Task { try await test.cleanup() } }
        let (gate, token) = try await gate(test, auditStore: FailingAuditStore())
        await #expect(throws: ServiceError.unavailable("the audit log cannot be written")) {
            try await gate.admit(bearer: token, action: "read", resource: "sys/policy", request: Fixtures.request)
        }
    }
}
