import Foundation
import Testing
import QuartermasterCore

/// One line of a seed's access table, as a request against examples/policy.yaml and the
/// answer the policy must give.
struct SeedAccessRow: Sendable, CustomTestStringConvertible {
    /// How the policy must answer.
    enum Expectation: Sendable {
        /// Allowed by a grant of this role.
        case allowedBy(String)
        /// Denied by an explicit deny of this role.
        case deniedBy(String)
        /// Denied because an allow's conditions do not hold.
        case conditionsNotMet
        /// Denied because no grant matches.
        case deniedByDefault
    }

    let seedLine: String
    let identity: String
    let action: String
    let resource: String
    var context: [String: String] = [:]
    let expectation: Expectation

    var testDescription: String { "\(seedLine): \(identity) \(action) \(resource)" }
}

@Suite("examples/policy.yaml answers every line of seeds 000 and 001")
struct SeedAccessTableTests {
    static let engine: PolicyEngine = {
        do {
            let policy = try PolicyParser.parse(yaml: try ExamplePolicy.text(), sourceName: ExamplePolicy.relativePath)
            return PolicyEngine(policy: policy)
        } catch {
            fatalError("examples/policy.yaml must load: \(error)")
        }
    }()

    static let approvedMeasurement = "sha256:57fc02b1222f3ee688d22560001ddf0c9f2d504d7d0e3cdfa572147d4399d6ab"
    static let attested = ["key_version": "3", "attestation_measurement": approvedMeasurement]
    static let inCI = ["environment": "ci", "cluster_id": "ci-1"]

    /// Seed 000, "Service Identities and Role Assignments": each "Access Needed" line is
    /// allowed; access belonging to another service, writes, and the worker's standing access are denied.
    static let seed000: [SeedAccessRow] = [
        .init(seedLine: "gateway: read proxy authentication credentials", identity: "gateway-service", action: "read", resource: "secret/gateway/proxy-auth/upstream-token", expectation: .allowedBy("gateway-proxy-keys")),
        .init(seedLine: "gateway: read rate limit configurations", identity: "gateway-service", action: "read", resource: "secret/gateway/rate-limits/default", expectation: .allowedBy("gateway-proxy-keys")),
        .init(seedLine: "gateway: read JWT validation keys", identity: "gateway-service", action: "read", resource: "secret/gateway/jwt-keys/current", expectation: .allowedBy("gateway-proxy-keys")),
        .init(seedLine: "orchestrator: read API keys for external services", identity: "orchestrator-service", action: "read", resource: "secret/integrations/github/api-key", expectation: .allowedBy("orchestrator-read-secrets")),
        .init(seedLine: "orchestrator: read LLM model credentials", identity: "orchestrator-service", action: "read", resource: "secret/llm/openai/api-key", expectation: .allowedBy("orchestrator-read-secrets")),
        .init(seedLine: "orchestrator: read vector store authentication", identity: "orchestrator-service", action: "read", resource: "secret/vector/qdrant/api-key", expectation: .allowedBy("orchestrator-read-secrets")),
        .init(seedLine: "llm runtime: read model API keys", identity: "llm-runtime-service", action: "read", resource: "secret/llm/anthropic/api-key", expectation: .allowedBy("llm-runtime-read")),
        .init(seedLine: "llm runtime: read model weight encryption keys", identity: "llm-runtime-service", action: "read", resource: "secret/llm/model-weights/encryption-key", expectation: .allowedBy("llm-runtime-read")),
        .init(seedLine: "llm runtime: read inference optimization configs", identity: "llm-runtime-service", action: "read", resource: "secret/llm/inference/config", expectation: .allowedBy("llm-runtime-read")),
        .init(seedLine: "vector client: read Qdrant authentication", identity: "vector-client-service", action: "read", resource: "secret/vector/qdrant/api-key", expectation: .allowedBy("vector-read")),
        .init(seedLine: "vector client: read pgvector credentials", identity: "vector-client-service", action: "read", resource: "secret/vector/pgvector/credentials", expectation: .allowedBy("vector-read")),
        .init(seedLine: "vector client: read embedding model keys", identity: "vector-client-service", action: "read", resource: "secret/vector/embeddings/api-key", expectation: .allowedBy("vector-read")),
        .init(seedLine: "telemetry: read observability API keys", identity: "telemetry-collector", action: "read", resource: "secret/telemetry/observability/api-key", expectation: .allowedBy("telemetry-exporter")),
        .init(seedLine: "telemetry: read metrics push gateway credentials", identity: "telemetry-collector", action: "read", resource: "secret/telemetry/metrics-push/credentials", expectation: .allowedBy("telemetry-exporter")),
        .init(seedLine: "telemetry: read trace export authentication", identity: "telemetry-collector", action: "read", resource: "secret/telemetry/trace-export/token", expectation: .allowedBy("telemetry-exporter")),
        .init(seedLine: "worker: no persistent secret access", identity: "worker-service", action: "read", resource: "secret/llm/openai/api-key", expectation: .deniedByDefault),
        .init(seedLine: "worker: no persistent secret access", identity: "worker-service", action: "read", resource: "secret/integrations/github/api-key", expectation: .deniedByDefault),
        .init(seedLine: "worker: no persistent secret access", identity: "worker-service", action: "read", resource: "secret/gateway/jwt-keys/current", expectation: .deniedByDefault),
        .init(seedLine: "llm runtime: not general API keys", identity: "llm-runtime-service", action: "read", resource: "secret/integrations/github/api-key", expectation: .deniedByDefault),
        .init(seedLine: "llm runtime: subset of orchestrator, not vector", identity: "llm-runtime-service", action: "read", resource: "secret/vector/qdrant/api-key", expectation: .deniedByDefault),
        .init(seedLine: "llm runtime: read-only", identity: "llm-runtime-service", action: "write", resource: "secret/llm/openai/api-key", expectation: .deniedByDefault),
        .init(seedLine: "vector client: read-only for vector paths", identity: "vector-client-service", action: "write", resource: "secret/vector/qdrant/api-key", expectation: .deniedByDefault),
        .init(seedLine: "vector client: vector paths only", identity: "vector-client-service", action: "read", resource: "secret/llm/openai/api-key", expectation: .deniedByDefault),
        .init(seedLine: "cannot assume other service roles", identity: "gateway-service", action: "read", resource: "secret/llm/openai/api-key", expectation: .deniedByDefault),
        .init(seedLine: "cannot assume other service roles", identity: "orchestrator-service", action: "read", resource: "secret/gateway/proxy-auth/upstream-token", expectation: .deniedByDefault),
        .init(seedLine: "cannot assume other service roles", identity: "telemetry-collector", action: "read", resource: "secret/vector/qdrant/api-key", expectation: .deniedByDefault),
        .init(seedLine: "minimal privileges: orchestrator reads only", identity: "orchestrator-service", action: "write", resource: "secret/llm/openai/api-key", expectation: .deniedByDefault),
        .init(seedLine: "minimal privileges: gateway reads only", identity: "gateway-service", action: "rotate", resource: "secret/gateway/jwt-keys/current", expectation: .deniedByDefault),
        .init(seedLine: "minimal privileges: no service changes the policy", identity: "orchestrator-service", action: "write", resource: "sys/policy", expectation: .deniedByDefault),
    ]

    /// Seed 001, "IAM Least-Privilege Review", table 1: "Required Access" is allowed and
    /// "Explicitly Not Required" is denied, by an explicit deny wherever the policy states one.
    static let seed001: [SeedAccessRow] = [
        .init(seedLine: "api-server: read Postgres app tables", identity: "api-server", action: "read", resource: "database/postgres/app/users", expectation: .allowedBy("api-server")),
        .init(seedLine: "api-server: write Postgres app tables", identity: "api-server", action: "write", resource: "database/postgres/app/sessions", expectation: .allowedBy("api-server")),
        .init(seedLine: "api-server: call Google OAuth endpoint", identity: "api-server", action: "invoke", resource: "provider/google/oauth/authorize", expectation: .allowedBy("api-server")),
        .init(seedLine: "api-server: call Google token endpoint", identity: "api-server", action: "invoke", resource: "provider/google/oauth/token", expectation: .allowedBy("api-server")),
        .init(seedLine: "api-server: call Google revoke endpoint", identity: "api-server", action: "invoke", resource: "provider/google/oauth/revoke", expectation: .allowedBy("api-server")),
        .init(seedLine: "api-server: enqueue internal jobs", identity: "api-server", action: "create", resource: "queue/jobs/email-digest", expectation: .allowedBy("api-server")),
        .init(seedLine: "api-server: not direct KMS decrypt from host path", identity: "api-server", action: "decrypt", resource: "transit/model-weights", context: attested, expectation: .deniedBy("api-server")),
        .init(seedLine: "api-server: not broad cloud admin", identity: "api-server", action: "write", resource: "iam/roles/admin", expectation: .deniedBy("api-server")),
        .init(seedLine: "api-server: not broad cloud admin", identity: "api-server", action: "act_as", resource: "iam/service-accounts/deployer", expectation: .deniedBy("api-server")),
        .init(seedLine: "api-server: not wildcard secret store reads", identity: "api-server", action: "list", resource: "secret", expectation: .deniedBy("api-server")),
        .init(seedLine: "api-server: not wildcard secret store reads", identity: "api-server", action: "read", resource: "secret/llm/openai/api-key", expectation: .deniedBy("api-server")),
        .init(seedLine: "api-server: separate role from worker", identity: "api-server", action: "update", resource: "queue/jobs/email-digest", expectation: .deniedByDefault),
        .init(seedLine: "worker: read Postgres app tables", identity: "worker", action: "read", resource: "database/postgres/app/jobs", expectation: .allowedBy("worker")),
        .init(seedLine: "worker: write Postgres app tables", identity: "worker", action: "write", resource: "database/postgres/app/jobs", expectation: .allowedBy("worker")),
        .init(seedLine: "worker: claim job leases", identity: "worker", action: "update", resource: "queue/jobs/email-digest/lease", expectation: .allowedBy("worker")),
        .init(seedLine: "worker: complete job leases", identity: "worker", action: "update", resource: "queue/jobs/email-digest", expectation: .allowedBy("worker")),
        .init(seedLine: "worker: call Google endpoints", identity: "worker", action: "invoke", resource: "provider/google/apis/calendar", expectation: .allowedBy("worker")),
        .init(seedLine: "worker: call APNs endpoints", identity: "worker", action: "invoke", resource: "provider/apns/push", expectation: .allowedBy("worker")),
        .init(seedLine: "worker: not user-management APIs", identity: "worker", action: "create", resource: "identity/users/alice", expectation: .deniedBy("worker")),
        .init(seedLine: "worker: not IAM mutation APIs", identity: "worker", action: "update", resource: "iam/policies/worker", expectation: .deniedBy("worker")),
        .init(seedLine: "worker: not raw secret export", identity: "worker", action: "read", resource: "secret/llm/openai/api-key", expectation: .deniedBy("worker")),
        .init(seedLine: "worker: not raw secret export", identity: "worker", action: "read", resource: "transit/model-weights", expectation: .deniedBy("worker")),
        .init(seedLine: "worker: not broad object storage access", identity: "worker", action: "list", resource: "storage/uploads", expectation: .deniedBy("worker")),
        .init(seedLine: "worker: not broad object storage access", identity: "worker", action: "read", resource: "storage/uploads/report.pdf", expectation: .deniedBy("worker")),
        .init(seedLine: "worker: separate role from api-server", identity: "worker", action: "invoke", resource: "provider/google/oauth/revoke", expectation: .deniedByDefault),
        .init(seedLine: "tee-runtime: attestation evidence generation", identity: "tee-runtime", action: "issue", resource: "identity/attestation/evidence", expectation: .allowedBy("tee-runtime")),
        .init(seedLine: "tee-runtime: decrypt for bound key version and approved measurement", identity: "tee-runtime", action: "decrypt", resource: "transit/model-weights", context: attested, expectation: .allowedBy("tee-runtime")),
        .init(seedLine: "tee-runtime: not decrypt outside attested runtime", identity: "tee-runtime", action: "decrypt", resource: "transit/model-weights", expectation: .conditionsNotMet),
        .init(seedLine: "tee-runtime: not decrypt with an unapproved measurement", identity: "tee-runtime", action: "decrypt", resource: "transit/model-weights", context: ["key_version": "3", "attestation_measurement": "sha256:" + String(repeating: "0", count: 64)], expectation: .conditionsNotMet),
        .init(seedLine: "tee-runtime: not decrypt with another key version", identity: "tee-runtime", action: "decrypt", resource: "transit/model-weights", context: ["key_version": "2", "attestation_measurement": approvedMeasurement], expectation: .conditionsNotMet),
        .init(seedLine: "tee-runtime: not arbitrary key access", identity: "tee-runtime", action: "decrypt", resource: "transit/customer-data", context: attested, expectation: .deniedByDefault),
        .init(seedLine: "tee-runtime: not arbitrary key access", identity: "tee-runtime", action: "read", resource: "transit/model-weights", context: attested, expectation: .deniedBy("tee-runtime")),
        .init(seedLine: "tee-runtime: not arbitrary key access", identity: "tee-runtime", action: "rotate", resource: "transit/model-weights", context: attested, expectation: .deniedBy("tee-runtime")),
        .init(seedLine: "ci: repo read", identity: "ci", action: "read", resource: "repo/quartermaster/main", context: inCI, expectation: .allowedBy("ci")),
        .init(seedLine: "ci: workflow execution", identity: "ci", action: "invoke", resource: "ci/workflows/checks", context: inCI, expectation: .allowedBy("ci")),
        .init(seedLine: "ci: dependency/install operations", identity: "ci", action: "read", resource: "ci/dependencies/swiftpm/yams", context: inCI, expectation: .allowedBy("ci")),
        .init(seedLine: "ci: only from the ci environment", identity: "ci", action: "read", resource: "repo/quartermaster/main", context: ["environment": "production"], expectation: .conditionsNotMet),
        .init(seedLine: "ci: not production database access", identity: "ci", action: "read", resource: "database/postgres/app/users", context: inCI, expectation: .deniedBy("ci")),
        .init(seedLine: "ci: not runtime secret retrieval", identity: "ci", action: "read", resource: "secret/api-server/production/google-client-secret", context: inCI, expectation: .deniedBy("ci")),
        .init(seedLine: "ci: not deployment credential writes", identity: "ci", action: "write", resource: "deploy/production/credentials", context: inCI, expectation: .deniedBy("ci")),
        .init(seedLine: "ci: no production data plane", identity: "ci", action: "decrypt", resource: "transit/model-weights", context: inCI, expectation: .deniedByDefault),
        .init(seedLine: "no shared admin identities", identity: "api-server", action: "write", resource: "sys/policy", expectation: .deniedByDefault),
        .init(seedLine: "administrators can change the policy", identity: "admin", action: "write", resource: "sys/policy", expectation: .allowedBy("admin")),
    ]

    @Test("seed 000: every required access is allowed and everything else is denied", arguments: seed000)
    func seed000Lines(row: SeedAccessRow) {
        Self.check(row)
    }

    @Test("seed 001: required access is allowed, explicitly-not-required access is denied", arguments: seed001)
    func seed001Lines(row: SeedAccessRow) {
        Self.check(row)
    }

    static func check(_ row: SeedAccessRow) {
        let request = AuthorizationRequest(subject: row.identity, action: row.action, resource: row.resource, context: row.context)
        let decision = engine.decide(request, now: Date(timeIntervalSince1970: 1_771_070_400))
        switch row.expectation {
        case .allowedBy(let role):
            #expect(decision.allowed, "\(decision.reason)")
            #expect(decision.grant?.role == role)
            #expect(decision.reason.hasPrefix("allowed by role \(role) grant "))
        case .deniedBy(let role):
            #expect(!decision.allowed)
            #expect(decision.grant?.role == role)
            #expect(decision.grant?.effect == .deny)
            #expect(decision.reason.hasPrefix("denied by role \(role) grant "), "\(decision.reason)")
        case .conditionsNotMet:
            #expect(!decision.allowed)
            #expect(decision.grant == nil)
            #expect(decision.reason.hasPrefix("conditions not met: "), "\(decision.reason)")
        case .deniedByDefault:
            #expect(!decision.allowed)
            #expect(decision.grant == nil)
            #expect(decision.reason == "no grant of identity \(row.identity) allows \(row.action) on \(row.resource)")
        }
    }
}
