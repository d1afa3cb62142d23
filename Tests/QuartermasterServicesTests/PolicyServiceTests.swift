import Foundation
import QuartermasterCore
import QuartermasterServices
import QuartermasterStorage
import Testing

@Suite("Policy service")
struct PolicyServiceTests {
    @Test("the bootstrap document becomes version 1 on first load only", arguments: BackendKind.available)
    func bootstrap(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let service = PolicyService(store: test.backend.policies)
        let first = try #require(try await service.load(bootstrapDocument: (Fixtures.policy, "bootstrap.yaml")))
        #expect(first.version == 1)
        let restarted = PolicyService(store: test.backend.policies)
        let again = try #require(try await restarted.load(bootstrapDocument: (Fixtures.widerPolicy, "other.yaml")))
        #expect(again.version == 1)
        #expect(again.stored.sourceName == "bootstrap.yaml")
    }

    @Test("an invalid document is refused and the active policy stays", arguments: BackendKind.available)
    func invalidKeepsActive(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let service = PolicyService(store: test.backend.policies)
        try await service.apply(yaml: Fixtures.policy, sourceName: "good.yaml", by: "admin")
        await #expect(throws: ServiceError.self) {
            try await service.apply(yaml: "version: 1\nroles: [oops", sourceName: "bad.yaml", by: "admin")
        }
        #expect(service.current?.version == 1)
        #expect(try await service.history(limit: 10).count == 1)
        #expect(service.decide(AuthorizationRequest(subject: "gateway-service", action: "read", resource: "secret/gateway/tls", context: [:])).allowed)
    }

    @Test("apply puts the new version in force and rollback restores an earlier one as a new version", arguments: BackendKind.available)
    func applyAndRollback(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let service = PolicyService(store: test.backend.policies)
        let shared = AuthorizationRequest(subject: "gateway-service", action: "read", resource: "secret/shared/x", context: [:])
        try await service.apply(yaml: Fixtures.policy, sourceName: "v1.yaml", by: "admin")
        #expect(!service.decide(shared).allowed)
        try await service.apply(yaml: Fixtures.widerPolicy, sourceName: "v2.yaml", by: "admin")
        #expect(service.decide(shared).allowed)
        let rolledBack = try await service.rollback(to: 1, by: "admin")
        #expect(rolledBack.version == 3)
        #expect(rolledBack.stored.comment == "rollback to version 1")
        #expect(!service.decide(shared).allowed)
        #expect(try await service.history(limit: 10).map(\.version) == [3, 2, 1])
    }

    @Test("rolling back to a version that does not exist is not found")
    func rollbackUnknown() async throws {
        let test = try await TestBackend.make(.sqlite)
        defer { Task { try await test.cleanup() } }
        let service = PolicyService(store: test.backend.policies)
        try await service.apply(yaml: Fixtures.policy, sourceName: "v1.yaml", by: "admin")
        await #expect(throws: ServiceError.notFound("policy version 9 does not exist")) {
            try await service.rollback(to: 9, by: "admin")
        }
    }

    @Test("a replica picks up a version applied elsewhere on refresh", arguments: BackendKind.available)
    func refresh(kind: BackendKind) async throws {
        let test = try await TestBackend.make(kind)
        defer { Task { try await test.cleanup() } }
        let here = PolicyService(store: test.backend.policies)
        let elsewhere = PolicyService(store: test.backend.policies)
        try await here.apply(yaml: Fixtures.policy, sourceName: "v1.yaml", by: "admin")
        try await elsewhere.load()
        try await here.apply(yaml: Fixtures.widerPolicy, sourceName: "v2.yaml", by: "admin")
        #expect(elsewhere.current?.version == 1)
        try await elsewhere.refresh()
        #expect(elsewhere.current?.version == 2)
    }

    @Test("with no policy in force everything is denied")
    func noPolicy() {
        let service = PolicyService(store: UnusedPolicyStore())
        let decision = service.decide(AuthorizationRequest(subject: "admin", action: "read", resource: "sys/policy", context: [:]))
        #expect(!decision.allowed)
    }
}

/// A store the test never reaches.
struct UnusedPolicyStore: PolicyStore {
    func latest() async throws -> StoredPolicy? { nil }
    func append(document: String, sourceName: String, digest: String, createdBy: String, comment: String) async throws -> StoredPolicy { fatalError("unused") }
    func version(_ version: Int) async throws -> StoredPolicy? { nil }
    func history(limit: Int) async throws -> [StoredPolicy] { [] }
}
